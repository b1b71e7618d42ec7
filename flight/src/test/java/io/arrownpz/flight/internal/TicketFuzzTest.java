package io.arrownpz.flight.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.fuzz.FuzzInputs;
import java.nio.file.Path;
import java.util.Set;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Ticket;

/**
 * Forged tickets against a served directory that has a link leading out of it: a ticket is refused with
 * one of the documented statuses, or names something whose real path is inside the directory. Never
 * anything else, never outside.
 */
class TicketFuzzTest {
  private static final Set<FlightStatusCode> DOCUMENTED = Set.of(FlightStatusCode.INVALID_ARGUMENT,
      FlightStatusCode.NOT_FOUND, FlightStatusCode.UNAUTHORIZED);
  private static final DatasetNames NAMES = LinkedOutDirectory.create("arrow-npz-ticket-fuzz").names();

  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void ticket(byte[] data) throws Exception {
    FuzzInputs.timed(() -> resolve(data));
  }

  private static void resolve(byte[] data) {
    try {
      for (String name : DatasetNames.namesOf(new Ticket(data))) { // a file's, or a dataset's and a file's
        Path found = NAMES.existing(name);
        if (!found.startsWith(NAMES.root())) {
          throw new AssertionError("a ticket reached " + found + ", outside " + NAMES.root());
        }
      }
    } catch (FlightRuntimeException refused) {
      if (!DOCUMENTED.contains(refused.status().code())) {
        throw new AssertionError("undocumented status " + refused.status().code(), refused);
      }
    }
  }
}
