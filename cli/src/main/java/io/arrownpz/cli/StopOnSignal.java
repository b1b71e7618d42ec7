package io.arrownpz.cli;

import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.ExtractedLibraries;
import io.arrownpz.internal.io.ImmediateExit;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import sun.misc.Signal;

/**
 * How a command that writes and then ends stops on SIGINT (Ctrl-C), SIGTERM or SIGHUP: its partial
 * outputs and its scratch space in the temporary folder (standard input spooled, {@code demo}'s and
 * {@code compare}'s work directories) are removed, one line says so, and the process ends at once with
 * 128 + the signal's number, as a shell reports a command killed by it. An orderly JVM exit could hang there for good: see
 * {@link ImmediateExit}. {@code serve} keeps the JVM's own handling, whose shutdown finishes the calls in
 * flight.
 */
final class StopOnSignal {
  private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");
  /** Temporary files and directories of this process, removed on a signal (their finally blocks never run). */
  private static final Set<Path> SCRATCH = ConcurrentHashMap.newKeySet();

  /** Set once a signal is being handled: the handler ends the process, not the command's own exit. */
  private static volatile boolean stopping;

  private StopOnSignal() {}

  /**
   * Ends the process with the command's status, unless a signal is being handled: then the command may have
   * failed only because its scratch space went, and the handler's exit, with the signal's status, is the one
   * to stand. It waits for that.
   */
  static void exit(int status) {
    while (stopping) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // the handler ends the process
      }
    }
    System.exit(status);
  }

  /** What the JVM's exit would delete and {@link ImmediateExit} skips: the native libraries' copies. */
  private static void unlinkLibraryCopies() {
    try {
      ExtractedLibraries.unlinkLoaded();
    } catch (RuntimeException e) {
      // the process ends anyway
    }
  }

  private static void unlinkLibraryCopiesBeforeExit() {
    try {
      ExtractedLibraries.unlinkBeforeExit();
    } catch (RuntimeException e) {
      // the process ends anyway
    }
  }

  static void install() {
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), signal -> {
          stopping = true;
          unlinkLibraryCopies();
          AtomicFile.abandonAll();
          SCRATCH.forEach(StopOnSignal::remove);
          System.err.println("arrow-npz: stopped by SIG" + name + "; no partial output was left");
          System.err.flush();
          unlinkLibraryCopiesBeforeExit(); // again: a loader may have been copying a library meanwhile
          ImmediateExit.now(128 + signal.getNumber());
        });
      } catch (IllegalArgumentException e) {
        // a signal this platform does not have, or one the JVM keeps for itself
      }
    }
  }

  /** Marks {@code path} (a file or a directory) as scratch, to go if a signal stops the command; returns it. */
  static Path scratch(Path path) {
    SCRATCH.add(path);
    return path;
  }

  /** {@code path} is scratch no more (its command removed it, or keeps it). */
  static void done(Path path) {
    SCRATCH.remove(path);
  }

  private static void remove(Path path) {
    try {
      Trees.delete(path); // a directory and what is in it, links not followed; or a file
    } catch (IOException | RuntimeException e) {
      // the process ends anyway
    }
  }
}
