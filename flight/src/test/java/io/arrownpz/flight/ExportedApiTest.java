package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.ExportedSignatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No type of an internal package appears in a signature of the Flight module's exported package. */
class ExportedApiTest {
  @Test
  void exportedSignaturesNameNoInternalType() throws Exception {
    assertEquals(List.of(), ExportedSignatures.internalTypes(FlightService.class, List.of("io.arrownpz.flight")));
  }
}
