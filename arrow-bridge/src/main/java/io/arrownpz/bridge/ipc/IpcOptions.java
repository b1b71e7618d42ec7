package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.compression.FastCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;

/**
 * How Feather files and IPC streams are written: which compression, and whose codecs do it.
 *
 * @param compression none, LZ4 frames or ZSTD
 * @param codecs the codec factory: arrow-npz's {@link FastCompressionFactory} by default (configurable ZSTD
 *     level and LZ4 block size), or any other, such as arrow-compression's
 */
public record IpcOptions(IpcCompression compression, CompressionCodec.Factory codecs) {
  public static final IpcOptions DEFAULTS = new IpcOptions(IpcCompression.NONE, FastCompressionFactory.INSTANCE);

  public IpcOptions {
    if (compression == null || codecs == null) {
      throw new NullPointerException("compression and codecs are required");
    }
  }

  public static IpcOptions of(IpcCompression compression) {
    return DEFAULTS.withCompression(compression);
  }

  public IpcOptions withCompression(IpcCompression value) {
    return new IpcOptions(value, codecs);
  }

  public IpcOptions withCodecs(CompressionCodec.Factory value) {
    return new IpcOptions(compression, value);
  }
}
