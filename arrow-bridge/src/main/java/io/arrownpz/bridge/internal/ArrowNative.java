package io.arrownpz.bridge.internal;

import io.arrownpz.internal.io.ExtractedLibraries;

/**
 * Loads Arrow's native libraries (the C data interface's, and the dataset layer's that reads and writes
 * Parquet) before their first use, and then removes the copies their loaders wrote to the temporary folder
 * ({@link ExtractedLibraries}): the dataset library is 76 MB a copy, and a process that did not exit in
 * order (a signal, SIGKILL, a crash) left one there each time.
 */
public final class ArrowNative {
  private ArrowNative() {}

  /** The C data interface's library, for exporting streams and arrays. */
  public static void loadCData() {
    CData.ensure();
  }

  /** The dataset layer's library, and the C data interface's that it hands batches through. */
  public static void loadDataset() {
    Dataset.ensure();
  }

  /** Loaded once, when the first caller initializes this class (the JVM makes that thread-safe). */
  private static final class CData {
    static {
      load(false);
    }

    static void ensure() {}
  }

  private static final class Dataset {
    static {
      load(true);
    }

    static void ensure() {}
  }

  private static void load(boolean dataset) {
    org.apache.arrow.c.jni.JniLoader.get().ensureLoaded();
    if (dataset) {
      org.apache.arrow.dataset.jni.JniLoader.get().ensureLoaded();
    }
    ExtractedLibraries.unlinkLoaded();
  }
}
