package io.arrownpz.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real Python peers (NumPy, pyarrow, pandas) as subprocesses. Where a peer is missing, the test
 * is skipped on a developer's machine but fails in CI (CI=true), where .ci/run installs the peers: an
 * interop test must never be skipped silently there.
 */
public final class PythonPeer {
  private static final String PYTHON = findPython();

  private PythonPeer() {}

  /**
   * ARROW_NPZ_PYTHON when set; else the virtual environment .ci/peers makes at the project's root
   * (found from the module directory Surefire runs in, or any directory below the root); else python3.
   */
  private static String findPython() {
    String fromEnv = System.getenv("ARROW_NPZ_PYTHON");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path venvPython = dir.resolve(".venv/bin/python");
      if (Files.isExecutable(venvPython) && Files.exists(dir.resolve(".ci/peers"))) {
        return venvPython.toString();
      }
    }
    return "python3";
  }

  /** The Python interpreter the peers run in, for tests that start their own Python processes. */
  public static String python() {
    return PYTHON;
  }

  /** Makes sure python3 can import every module named, or skips (fails in CI). */
  public static void require(String... modules) {
    String imports = String.join(", ", modules);
    Result r = runUnchecked("import " + imports + "\n", List.of());
    if (r.exitCode != 0) {
      String why = "Python peer missing (" + PYTHON + " cannot import " + imports + "): " + r.stderr.strip();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + " -- CI must install the peers (.ci/run does)");
      }
      Assumptions.abort(why);
    }
  }

  /** Runs a script with arguments and returns its stdout; fails the test if it exits non-zero. */
  public static String run(String script, String... args) {
    Result r = runUnchecked(script, List.of(args));
    if (r.exitCode != 0) {
      fail("python exited " + r.exitCode + "\n--- stderr ---\n" + r.stderr + "\n--- stdout ---\n" + r.stdout);
    }
    return r.stdout;
  }

  public record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Appended to every script: once it has done its work, the interpreter ends without tearing down, after
   * flushing what it printed. pyarrow's native threads can abort a teardown ("terminate called without an
   * active exception", exit 134): seen once in CI after a pandas partitioned Parquet write had finished, and
   * not reproduced in 42 runs here. A script that fails raises before it gets here, and exits as before.
   */
  private static final String AT_THE_END = "\nimport os as _peer_os, sys as _peer_sys\n"
      + "_peer_sys.stdout.flush()\n_peer_sys.stderr.flush()\n_peer_os._exit(0)\n";

  public static Result runUnchecked(String script, List<String> args) {
    try {
      Path file = Files.createTempFile("arrow-npz-peer", ".py");
      try {
        Files.writeString(file, script + AT_THE_END);
        List<String> command = new ArrayList<>();
        command.add(PYTHON);
        command.add(file.toString());
        command.addAll(args);
        Path out = Files.createTempFile("arrow-npz-peer", ".out");
        Path err = Files.createTempFile("arrow-npz-peer", ".err");
        try {
          Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
          if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("python peer timed out");
          }
          return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
        } finally {
          Files.deleteIfExists(out);
          Files.deleteIfExists(err);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      return new Result(127, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "", e.toString());
    }
  }
}
