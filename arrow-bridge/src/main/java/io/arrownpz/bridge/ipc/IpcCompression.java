package io.arrownpz.bridge.ipc;

import java.util.Locale;
import org.apache.arrow.vector.compression.CompressionUtil;

/** Buffer compression in Arrow IPC files and streams (Feather v2 included). */
public enum IpcCompression {
  NONE(CompressionUtil.CodecType.NO_COMPRESSION),
  LZ4(CompressionUtil.CodecType.LZ4_FRAME),
  ZSTD(CompressionUtil.CodecType.ZSTD);

  private final CompressionUtil.CodecType codec;

  IpcCompression(CompressionUtil.CodecType codec) {
    this.codec = codec;
  }

  public CompressionUtil.CodecType codec() {
    return codec;
  }

  /** none/uncompressed, lz4, zstd; null for anything else. */
  public static IpcCompression named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "none", "uncompressed", "stored" -> NONE;
      case "lz4", "lz4_frame" -> LZ4;
      case "zstd" -> ZSTD;
      default -> null;
    };
  }
}
