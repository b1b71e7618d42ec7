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

  /**
   * The dataset layer's library, and the C data interface's that it hands batches through.
   *
   * @throws UnsupportedOperationException when arrow-dataset, an optional dependency of the bridge, is not
   *     on the class path
   */
  public static void loadDataset() {
    requireDataset();
    Dataset.ensure();
  }

  /** The artifact Parquet needs, which the bridge does not bring (Arrow C++'s dataset library, 78 MB). */
  public static final String DATASET_ARTIFACT = "org.apache.arrow:arrow-dataset";

  /**
   * Fails, naming the artifact to add, when arrow-dataset is missing. Called before any class of Arrow's
   * dataset layer is touched, so that the caller gets this rather than a NoClassDefFoundError.
   */
  public static void requireDataset() {
    try {
      Class.forName("org.apache.arrow.dataset.jni.JniLoader", false, ArrowNative.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UnsupportedOperationException("Parquet needs " + DATASET_ARTIFACT + " (the same version as "
          + "Arrow Java) beside io.arrownpz:arrow-npz-bridge, which does not bring it");
    }
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
