package io.arrownpz.flight.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Ticket;
import org.junit.jupiter.api.Test;

/** The mark a coordinator puts on a partitioned dataset's ticket for the node to send it all nullable. */
class NullableTicketTest {
  private static Ticket ticket(String text) {
    return new Ticket(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMarkedTicketNamesTheSameDatasetAndFile() {
    Ticket plain = DatasetNames.ticket("hive", "hive/k=1/a.parquet");
    Ticket marked = DatasetNames.asNullable(plain);
    assertFalse(DatasetNames.readsAsNullable(plain));
    assertTrue(DatasetNames.readsAsNullable(marked));
    assertEquals(List.of("hive", "hive/k=1/a.parquet"), DatasetNames.namesOf(marked));
    assertEquals(DatasetNames.namesOf(plain), DatasetNames.namesOf(marked));
    assertEquals(marked, DatasetNames.asNullable(marked)); // marked once
  }

  @Test
  void aFileNamedLikeTheMarkIsAFileNotAMark() {
    Ticket file = ticket("folder\0nullable");
    assertFalse(DatasetNames.readsAsNullable(file));
    assertEquals(List.of("folder", "nullable"), DatasetNames.namesOf(file));
  }

  @Test
  void theNamesOfAMarkedTicketAreCheckedAsAnyOthers() {
    for (String forged : List.of("hive\0../outside.parquet\0nullable", "hive\0/etc/passwd\0nullable",
        "hive\0a\0b\0nullable", "\0nullable\0nullable")) {
      FlightRuntimeException refused = assertThrows(FlightRuntimeException.class,
          () -> DatasetNames.namesOf(ticket(forged)), forged);
      assertEquals(FlightStatusCode.INVALID_ARGUMENT, refused.status().code(), forged);
    }
  }
}
