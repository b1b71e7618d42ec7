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
}
