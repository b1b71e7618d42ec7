package io.arrownpz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code arrow-npz} launcher at the project's root, as users run it: {@code convert} gets the small
 * JVM (client compiler only), other commands the JVM's defaults, and {@code ARROW_NPZ_JAVA_OPTS} comes
 * last; a file pyarrow wrote (several batches, LZ4, strings and nulls) converts through it to values
 * pyarrow reads back equal.
 */
class LauncherIT {
  @TempDir Path tmp;

  private static CliIT.Run launch(String javaOptions, String... args) throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("arrownpz.cli.jar")).toAbsolutePath().getParent().getParent().getParent();
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("arrow-npz").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().put("ARROW_NPZ_JAVA_OPTS", javaOptions);
      Process p = builder.start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("arrow-npz " + String.join(" ", args) + " timed out");
      }
      return new CliIT.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void convertRunsInTheSmallJvmAndKeepsEveryValue() throws Exception {
    PythonPeer.require("pyarrow");
    Path in = tmp.resolve("in.feather");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        t = pa.table({'n': pa.array([i if i % 7 else None for i in range(50_000)], pa.int64()),
                      's': pa.array(['v%d' % (i % 13) if i % 5 else None for i in range(50_000)])})
        f.write_feather(t, sys.argv[1], compression='lz4', chunksize=12_000)
        """, in.toString());
    Path out = tmp.resolve("out.arrows");
    CliIT.Run run = launch("-Xmx256m -XX:+PrintCommandLineFlags", "convert", in.toString(), out.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("-XX:TieredStopAtLevel=1") && run.out().contains("-XX:MaxHeapSize=268435456"),
        "convert's JVM, with the user's option last: " + run.out());
    // The class archive of the jar: made once (before the first command after a build), then mapped.
    Path jar = Path.of(System.getProperty("arrownpz.cli.jar")).toAbsolutePath();
    Path archive = jar.resolveSibling("arrow-npz.jsa");
    assertTrue(Files.size(archive) > 1_000_000, "a class archive beside the jar: " + Files.size(archive));
    assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0);
    assertTrue(run.out().contains("-XX:SharedArchiveFile=" + archive), "mapped: " + run.out());
    assertEquals("ok", PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        a = f.read_table(sys.argv[1])
        with pa.OSFile(sys.argv[2]) as source:
            b = pa.ipc.open_stream(source).read_all()
        assert a.equals(b), (a.schema, b.schema)
        print('ok')
        """, in.toString(), out.toString()).strip());

    CliIT.Run other = launch("-XX:+PrintCommandLineFlags", "--version");
    assertEquals(0, other.exit(), other.err());
    assertFalse(other.out().contains("TieredStopAtLevel"), "other commands keep the JVM's defaults: " + other.out());
    CliIT.Run version = launch("", "--version");
    assertTrue(version.out().startsWith("arrow-npz ") && version.out().strip().lines().count() == 3,
        "nothing but the version on standard output: " + version.out());
  }
}
