package io.arrownpz.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar, redrawn in place, for work that takes more than a second. Only on a
 * terminal: in a pipe or a log it prints nothing.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private boolean drawn;

  ProgressBar(PrintWriter out, boolean enabled) {
    this.out = out;
    this.enabled = enabled && System.console() != null;
  }

  synchronized void update(int done, int total, String item) {
    // Work done within the first second never shows a bar; once drawn, a bar is finished properly.
    if (!enabled || !drawn && System.nanoTime() - start < 1_000_000_000L) {
      return;
    }
    drawn = true;
    int filled = total == 0 ? WIDTH : done * WIDTH / total;
    String name = item.length() > 30 ? "..." + item.substring(item.length() - 27) : item;
    out.printf("\r[%s%s] %d/%d %-30s", "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, name);
    if (done == total) {
      out.println();
    }
    out.flush();
  }

  /**
   * Runs {@code work} with a bar that says it is under way (redrawn four times a second, shown past one
   * second on a terminal, as every bar), for work that reports no steps of its own: one conversion.
   */
  static <T> T whileRunning(PrintWriter out, boolean enabled, String item, Work<T> work) throws java.io.IOException {
    ProgressBar bar = new ProgressBar(out, enabled);
    if (!bar.enabled) {
      return work.run();
    }
    var ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    long start = System.nanoTime();
    ticker.scheduleAtFixedRate(() -> bar.update(0, 1, item + " " + (System.nanoTime() - start) / 1_000_000_000L + " s"),
        250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
    try {
      return work.run();
    } finally {
      ticker.shutdownNow();
      bar.update(1, 1, item);
    }
  }

  @FunctionalInterface
  interface Work<T> {
    T run() throws java.io.IOException;
  }
}
