package io.arrownpz.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.ExportedSignatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No type of an internal package appears in a signature of the Flight SQL module's exported package. */
class ExportedApiTest {
  @Test
  void exportedSignaturesNameNoInternalType() throws Exception {
    assertEquals(List.of(), ExportedSignatures.internalTypes(SqlService.class, List.of("io.arrownpz.flightsql")));
  }
}
