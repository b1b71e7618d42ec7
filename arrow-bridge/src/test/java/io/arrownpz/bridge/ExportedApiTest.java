package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.ExportedSignatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No type of an internal package appears in a signature of the bridge's exported packages. */
class ExportedApiTest {
  @Test
  void exportedSignaturesNameNoInternalType() throws Exception {
    List<String> exported = List.of("io.arrownpz.bridge", "io.arrownpz.bridge.compression",
        "io.arrownpz.bridge.dataset", "io.arrownpz.bridge.ipc", "io.arrownpz.bridge.parquet");
    assertEquals(List.of(), ExportedSignatures.internalTypes(Converter.class, exported));
  }
}
