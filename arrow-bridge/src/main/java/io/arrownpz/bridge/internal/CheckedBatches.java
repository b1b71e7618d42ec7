package io.arrownpz.bridge.internal;

/**
 * A batch reader that runs {@link Tables#validate} on every batch as it loads it, so that
 * {@link Tables#collect} need not check it again (for strings, the check reads every byte).
 */
public interface CheckedBatches {
  /**
   * Whether {@code reader} checks its batches as it loads them: ours that say so, and the mapped Feather
   * reader (public API, which checks every batch it maps without saying so in its type).
   */
  static boolean isChecked(org.apache.arrow.vector.ipc.ArrowReader reader) {
    return reader instanceof CheckedBatches || reader instanceof io.arrownpz.bridge.ipc.MappedFeatherReader;
  }
}
