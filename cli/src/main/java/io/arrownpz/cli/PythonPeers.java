package io.arrownpz.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * StaticFrame and pyarrow, in a Python process of their own, reading the files {@code demo} just wrote, so that
 * their figures stand beside ours as in StaticFrame's article: {@code Frame.from_npz} of our NPZ frame and
 * pyarrow's memory-mapped {@code feather.read_table} of our Feather file, every value touched, timed in Python.
 * The process runs with glibc told to keep what it frees and touches memory at start, as our JVM does, so that
 * neither pays a virtual machine's first touch of fresh pages in a timed read.
 */
final class PythonPeers implements AutoCloseable {
  /** A peer and the format of ours its read is set beside. */
  enum Peer {
    STATICFRAME("staticframe", "StaticFrame from_npz", Contender.NPZ),
    PYARROW("pyarrow", "pyarrow mapped Feather", Contender.FEATHER);

    final String command;
    final String label;
    final Contender ours;

    Peer(String command, String label, Contender ours) {
      this.command = command;
      this.label = label;
      this.ours = ours;
    }
  }

  private final Process process;
  private final Writer in;
  private final BufferedReader out;
  private final Path script;
  /** What the first line said: StaticFrame's and pyarrow's versions. */
  final String versions;
  /** Per input and peer, the times of its reads, ms. */
  private final Map<String, Map<Peer, List<Double>>> times = new LinkedHashMap<>();

  private PythonPeers(Process process, Path script, String versions) {
    this.process = process;
    this.script = script;
    this.in = new PrintWriter(process.getOutputStream(), false, StandardCharsets.UTF_8);
    this.out = process.inputReader(StandardCharsets.UTF_8);
    this.versions = versions;
  }

  /**
   * The peers through {@code python}, or null (with the reason on {@code notes}) when it is missing or lacks
   * StaticFrame or pyarrow.
   */
  static PythonPeers start(Path python, PrintWriter notes) {
    if (python == null || !Files.isExecutable(python)) {
      notes.println("peers: no Python with StaticFrame and pyarrow (" + (python == null ? "none given" : python
          + " is missing") + "; `.ci/peers` installs them): our figures alone");
      return null;
    }
    Path script = null;
    try {
      script = Files.createTempFile("arrow-npz-demo-peers", ".py");
      try (InputStream source = PythonPeers.class.getResourceAsStream("demo_peers.py")) {
        Files.write(script, source.readAllBytes());
      }
      ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(), "1024")
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().put("MALLOC_MMAP_THRESHOLD_", String.valueOf(32 << 20));
      builder.environment().put("MALLOC_TRIM_THRESHOLD_", String.valueOf(1L << 40));
      Process process = builder.start();
      BufferedReader first = process.inputReader(StandardCharsets.UTF_8);
      String ready = first.readLine();
      if (ready == null || !ready.startsWith("ready ")) {
        process.destroy();
        Files.deleteIfExists(script);
        notes.println("peers: " + python + " could not import StaticFrame and pyarrow (`.ci/peers` installs "
            + "them): our figures alone");
        return null;
      }
      String[] v = ready.split(" ");
      return new PythonPeers(process, script, "StaticFrame " + v[1] + ", pyarrow " + v[2]);
    } catch (IOException e) {
      if (script != null) {
        try {
          Files.deleteIfExists(script);
        } catch (IOException ignored) {
          // a temporary file left behind
        }
      }
      notes.println("peers: " + python + ": " + e.getMessage() + ": our figures alone");
      return null;
    }
  }

  /** Times {@code peer}'s read of {@code file}, written for {@code input}; a peer's failure is kept as NaN. */
  void read(String input, Peer peer, Path file) throws IOException {
    in.write(peer.command + " " + file.toAbsolutePath() + "\n");
    in.flush();
    String answer = out.readLine();
    if (answer == null) {
      throw new IOException("the Python peers' process ended");
    }
    double ms = answer.startsWith("error") ? Double.NaN : Double.parseDouble(answer);
    times.computeIfAbsent(input, k -> new LinkedHashMap<>()).computeIfAbsent(peer, k -> new ArrayList<>()).add(ms);
  }

  /** The median of {@code peer}'s reads for {@code input}, ms; NaN when it had none or failed. */
  double median(String input, Peer peer) {
    List<Double> list = times.getOrDefault(input, Map.of()).getOrDefault(peer, List.of());
    if (list.isEmpty() || list.stream().anyMatch(d -> d.isNaN())) {
      return Double.NaN;
    }
    return HeadToHead.median(list.stream().mapToDouble(Double::doubleValue).toArray());
  }

  @Override
  public void close() throws IOException {
    in.close();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroy();
    Files.deleteIfExists(script);
  }
}
