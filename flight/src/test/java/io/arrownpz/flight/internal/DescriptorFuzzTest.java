package io.arrownpz.flight.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.fuzz.FuzzInputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;

/**
 * Forged path descriptors (several components, each possibly holding slashes, dots, NUL or nothing)
 * against a served directory with a link leading out of it, as GetFlightInfo, GetSchema and DoPut take
 * them: a descriptor is refused with a documented status, or names something inside the directory; an
 * upload's target (whose directories are created on the way) lies inside it, and nothing outside the
 * directory is ever created.
 */
class DescriptorFuzzTest {
  private static final Set<FlightStatusCode> DOCUMENTED = Set.of(FlightStatusCode.INVALID_ARGUMENT,
      FlightStatusCode.NOT_FOUND, FlightStatusCode.UNAUTHORIZED);
  private static final LinkedOutDirectory SERVED = LinkedOutDirectory.create("arrow-npz-descriptor-fuzz");
  private static final DatasetNames NAMES = SERVED.names();
  private static final Path OUTSIDE = SERVED.outside();

  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void descriptor(byte[] data) throws Exception {
    FuzzInputs.timed(() -> resolve(data));
  }

  /** The input's lines are the descriptor's components (at most 8). */
  private static void resolve(byte[] data) throws IOException {
    List<String> components = Arrays.stream(new String(data, StandardCharsets.UTF_8).split("\n", -1)).limit(8)
        .toList();
    String name;
    try {
      name = DatasetNames.of(FlightDescriptor.path(components));
    } catch (FlightRuntimeException refused) {
      documented(refused);
      return;
    }
    try {
      inside(NAMES.existing(name), "an existing dataset");
    } catch (FlightRuntimeException refused) {
      documented(refused);
    }
    try {
      Path target = NAMES.target(name);
      inside(target.getParent().toRealPath(), "an upload's directory");
      if (!target.normalize().startsWith(NAMES.root())) {
        throw new AssertionError("an upload would go to " + target + ", outside " + NAMES.root());
      }
    } catch (FlightRuntimeException refused) {
      documented(refused);
    } catch (IOException refusedByTheFileSystem) {
      // a component names a file where a directory would be, a name too long: a failed call, nothing made
    }
    try (Stream<Path> outside = Files.list(OUTSIDE)) {
      List<Path> there = outside.toList();
      if (there.size() != 1) {
        throw new AssertionError("a descriptor created " + there + " outside the served directory");
      }
    }
  }

  private static void inside(Path found, String what) {
    if (!found.startsWith(NAMES.root())) {
      throw new AssertionError(what + " reached " + found + ", outside " + NAMES.root());
    }
  }

  private static void documented(FlightRuntimeException refused) {
    if (!DOCUMENTED.contains(refused.status().code())) {
      throw new AssertionError("undocumented status " + refused.status().code(), refused);
    }
  }
}
