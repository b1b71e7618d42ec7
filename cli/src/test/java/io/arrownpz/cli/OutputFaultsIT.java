package io.arrownpz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing where the file system says no: a full disk and a read-only directory. Each case runs the
 * command in a private mount namespace ({@code unshare -m}) over a small tmpfs, so the fault is real,
 * nothing outside the test changes, and the mount goes away with the process. A replaced output must
 * keep its old bytes, nothing partial may be left, and the one-line error names the output the user
 * asked for (not our hidden temporary name).
 */
class OutputFaultsIT {
  private static final int DISK_BYTES = 64 * 1024;

  @TempDir Path tmp;

  @BeforeAll
  static void mountsArePossible() throws Exception {
    Path probe = Files.createTempDirectory("mnt");
    boolean can;
    try {
      can = run("mount -t tmpfs -o size=4k tmpfs \"$1\"", probe.toString()).exit == 0;
    } finally {
      Files.delete(probe); // the mount lived and died in the probe's private namespace
    }
    if (!can && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must be able to mount a tmpfs in a private namespace (unshare -m)");
    }
    Assumptions.assumeTrue(can, "this machine does not allow a private tmpfs mount");
  }

  record Result(int exit, String out) {}

  /** Runs a shell script as root of a private mount namespace; $1, $2... are {@code args}. */
  private static Result run(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("unshare", "-m", "sh", "-c", script, "sh"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + script);
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static String cli() {
    return Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + System.getProperty("arrownpz.cli.jar");
  }

  /** Shell lines that put an old output at "$2": a file, or for an NPY directory a frame's folder. */
  private static String oldOutput(String ext) {
    return ext.equals("sfdir") ? "mkdir \"$2\" && echo old > \"$2/__meta__.json\"\n" : "echo old > \"$2\"\n";
  }

  /** The file whose text "old" shows the old output survived. */
  private static String oldContent(String ext) {
    return ext.equals("sfdir") ? "\"$2/__meta__.json\"" : "\"$2\"";
  }

  /**
   * A full disk, for every output format: the command fails with one line naming the output, the
   * replaced file keeps its old bytes, and the disk holds nothing else afterwards.
   */
  @Test
  void fullDiskLeavesTheOldOutputAndNamesIt() throws Exception {
    Path big = TestArrays.float64(tmp.resolve("big.npy"), 200_000); // 1.6 MB, far past the disk
    Path disk = Files.createDirectories(tmp.resolve("disk"));
    for (String ext : List.of("npy", "npz", "feather", "arrows", "parquet", "sfdir")) {
      String out = disk + "/out." + ext;
      String to = ext.equals("sfdir") ? " --to npy-dir" : "";
      Result r = run("mount -t tmpfs -o size=" + DISK_BYTES + " tmpfs \"$1\" || exit 9\n"
          + oldOutput(ext)
          + cli() + " convert \"$3\" \"$2\" --overwrite -q" + to + " 2>&1\n"
          + "echo \"exit=$?\"\n"
          + "echo \"left=$(ls -A \"$1\" | tr '\\n' ' ')\"\n"
          + "echo \"content=$(cat " + oldContent(ext) + " 2>&1)\"\n", disk.toString(), out, big.toString());
      String[] lines = r.out.strip().split("\n");
      assertEquals(4, lines.length, ext + ": " + r.out);
      assertEquals("arrow-npz: " + out + ": cannot be written: No space left on device", lines[0], ext);
      assertEquals("exit=1", lines[1], ext + ": " + r.out);
      assertEquals("left=out." + ext + " ", lines[2], ext + ": something partial was left: " + r.out);
      assertEquals("content=old", lines[3], ext + ": the old output was clobbered");
    }
  }

  /** A read-only directory: refused in one line naming the output, new or existing; nothing changes. */
  @Test
  void readOnlyDirectoryIsRefusedNamingTheOutput() throws Exception {
    Path small = Fixtures.path("npy/le_i4.npy");
    Path disk = Files.createDirectories(tmp.resolve("ro"));
    for (String ext : List.of("npy", "npz", "feather", "arrows", "parquet", "sfdir")) {
      String existing = disk + "/old." + ext;
      String fresh = disk + "/new." + ext;
      String to = ext.equals("sfdir") ? " --to npy-dir" : "";
      Result r = run("mount -t tmpfs -o size=" + DISK_BYTES + " tmpfs \"$1\" || exit 9\n"
          + oldOutput(ext)
          + "mount -o remount,ro \"$1\" || exit 9\n"
          + cli() + " convert \"$4\" \"$2\" --overwrite -q" + to + " 2>&1\n"
          + "echo \"exit=$?\"\n"
          + cli() + " convert \"$4\" \"$3\" -q" + to + " 2>&1\n"
          + "echo \"exit=$?\"\n"
          + "echo \"left=$(ls -A \"$1\" | tr '\\n' ' ')\"\n"
          + "echo \"content=$(cat " + oldContent(ext) + " 2>&1)\"\n", disk.toString(), existing, fresh, small.toString());
      String[] lines = r.out.strip().split("\n");
      assertEquals(6, lines.length, ext + ": " + r.out);
      assertEquals("arrow-npz: " + existing + ": cannot be written: Read-only file system", lines[0], ext);
      assertEquals("exit=1", lines[1], ext);
      assertEquals("arrow-npz: " + fresh + ": cannot be written: Read-only file system", lines[2], ext);
      assertEquals("exit=1", lines[3], ext);
      assertEquals("left=old." + ext + " ", lines[4], ext + ": " + r.out);
      assertEquals("content=old", lines[5], ext);
      assertTrue(Files.isDirectory(disk));
    }
  }
}
