package io.arrownpz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers killed (SIGKILL) at random moments, many times over: the output is always the old complete file
 * or the new complete one, never a mix or a torn file; and what the killed writers left behind is removed
 * by the next write to the same output.
 */
class KilledWritesIT {
  private static final int KILLS = 25;

  @TempDir Path tmp;

  private static List<String> command(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("arrownpz.cli.jar")));
    command.addAll(List.of(args));
    return command;
  }

  /** 40 MB of float64: long enough to write that a kill lands mid-write. */
  private Path bigNpy() throws IOException {
    return TestArrays.float64(tmp.resolve("big.npy"), 5_000_000);
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
    return p.exitValue();
  }

  @Test
  void theOutputIsAlwaysTheOldFileOrTheNewOne() throws Exception {
    Path input = bigNpy();
    for (String ext : List.of("npz", "feather")) {
      Path reference = tmp.resolve("reference." + ext);
      assertEquals(0, run(command("convert", input.toString(), reference.toString(), "-q")));
      byte[] fresh = Files.readAllBytes(reference);
      byte[] old = "the old output".getBytes(StandardCharsets.UTF_8);
      Path out = tmp.resolve("out." + ext);
      Files.write(out, old);
      Random random = new Random(ext.hashCode());
      int killedMidWrite = 0;
      for (int i = 0; i < KILLS; i++) {
        Process p = new ProcessBuilder(command("convert", input.toString(), out.toString(), "--overwrite", "-q"))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(300 + random.nextInt(900)); // JVM start, then anywhere in reading or writing
        boolean running = p.isAlive();
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        p.waitFor(60, TimeUnit.SECONDS);
        byte[] now = Files.readAllBytes(out);
        boolean isOld = java.util.Arrays.equals(now, old);
        boolean isNew = java.util.Arrays.equals(now, fresh);
        assertTrue(isOld || isNew, ext + " kill " + i + ": the output is neither the old nor the new file ("
            + now.length + " bytes)");
        if (running && isOld) {
          killedMidWrite++;
        }
        if (isNew) {
          Files.write(out, old); // start the next round from the old file again
        }
      }
      assertTrue(killedMidWrite > 0, ext + ": no kill landed while the writer was at work");
      // The next write removes what the killed writers left.
      assertEquals(0, run(command("convert", input.toString(), out.toString(), "--overwrite", "-q")));
      try (Stream<Path> left = Files.list(tmp)) {
        List<String> partial = left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial")).toList();
        assertEquals(List.of(), partial, "partial files left after the next write");
      }
      System.out.println("killed writes (" + ext + "): " + KILLS + " kills, " + killedMidWrite
          + " while writing; the output was always the old or the new file");
    }
  }
}
