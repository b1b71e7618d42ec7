package io.arrownpz.cli;

import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.ImmediateExit;
import java.util.List;
import sun.misc.Signal;

/**
 * How a command that writes and then ends stops on SIGINT (Ctrl-C), SIGTERM or SIGHUP: its partial
 * outputs are removed, one line says so, and the process ends at once with 128 + the signal's number, as
 * a shell reports a command killed by it. An orderly JVM exit could hang there for good: see
 * {@link ImmediateExit}. {@code serve} keeps the JVM's own handling, whose shutdown finishes the calls in
 * flight.
 */
final class StopOnSignal {
  private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");

  private StopOnSignal() {}

  static void install() {
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), signal -> {
          AtomicFile.abandonAll();
          System.err.println("arrow-npz: stopped by SIG" + name + "; no partial output was left");
          System.err.flush();
          ImmediateExit.now(128 + signal.getNumber());
        });
      } catch (IllegalArgumentException e) {
        // a signal this platform does not have, or one the JVM keeps for itself
      }
    }
  }
}
