package io.arrownpz.internal.io;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Ends the process at once, as C's {@code _exit} does: no shutdown hooks, no {@code atexit} handlers, no
 * static destructors of native libraries.
 *
 * <p>Why: a command stopped by a signal while Arrow C++ (the Parquet reader and writer) had threads at
 * work never ended. The JVM's exit ran the native library's destructors on its VM thread, whose thread
 * pool waited for its workers, which waited to attach to the exiting JVM. With every partial output
 * removed first ({@link AtomicFile#abandonAll}), what an orderly exit would still tidy is the copies of
 * native libraries that their loaders left to {@code File.deleteOnExit}: the caller removes those first too
 * ({@link ExtractedLibraries#unlinkLoaded}).
 */
public final class ImmediateExit {
  private static final boolean BOUND = bind();

  private ImmediateExit() {}

  private static native void _exit(int status);

  private static boolean bind() {
    try {
      Native.register(ImmediateExit.class, Platform.C_LIBRARY_NAME);
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** Ends the process with {@code status}; where C's {@code _exit} cannot be called, halts the JVM. */
  public static void now(int status) {
    if (BOUND) {
      _exit(status);
    }
    Runtime.getRuntime().halt(status);
  }
}
