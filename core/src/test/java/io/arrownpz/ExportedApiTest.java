package io.arrownpz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.ExportedSignatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No type of an internal package appears in a signature of core's exported packages (module-info's exports). */
class ExportedApiTest {
  @Test
  void exportedSignaturesNameNoInternalType() throws Exception {
    List<String> exported = List.of("io.arrownpz", "io.arrownpz.arrow", "io.arrownpz.cache", "io.arrownpz.frame",
        "io.arrownpz.npy", "io.arrownpz.npz", "io.arrownpz.pack", "io.arrownpz.zip");
    assertEquals(List.of(), ExportedSignatures.internalTypes(NumpyTables.class, exported));
  }
}
