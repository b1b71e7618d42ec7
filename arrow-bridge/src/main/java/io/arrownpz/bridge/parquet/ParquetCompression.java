package io.arrownpz.bridge.parquet;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.xerial.snappy.Snappy;

/**
 * How the pages of a Parquet file are compressed. Snappy is the default, as in pyarrow and pandas;
 * ZSTD at level 1, Arrow C++'s default level for Parquet.
 */
public enum ParquetCompression {
  NONE(0),
  SNAPPY(1),
  ZSTD(6);

  /** The codec's number in Parquet's {@code CompressionCodec} enumeration. */
  final int codecId;

  ParquetCompression(int codecId) {
    this.codecId = codecId;
  }

  /** The compression named {@code name} (none, uncompressed, snappy, zstd), or null. */
  public static ParquetCompression named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "none", "uncompressed" -> NONE;
      case "snappy" -> SNAPPY;
      case "zstd" -> ZSTD;
      default -> null;
    };
  }

  /** The most bytes compressing {@code length} bytes can take. */
  int maxCompressedLength(int length) {
    return switch (this) {
      case NONE -> length;
      case SNAPPY -> Snappy.maxCompressedLength(length);
      case ZSTD -> Math.toIntExact(Zstd.compressBound(length));
    };
  }

  /**
   * Compresses {@code source} (position to limit) into {@code target} from its position, both direct
   * buffers, as Parquet stores a page body: raw Snappy blocks, or one ZSTD frame. Returns the bytes written.
   */
  int compress(ByteBuffer source, ByteBuffer target) throws java.io.IOException {
    return switch (this) {
      case NONE -> {
        int n = source.remaining();
        target.duplicate().put(source.duplicate());
        yield n;
      }
      case SNAPPY -> Snappy.compress(source, target);
      case ZSTD -> {
        long n = Zstd.compressDirectByteBuffer(target, target.position(), target.remaining(), source,
            source.position(), source.remaining(), 1);
        if (Zstd.isError(n)) {
          throw new java.io.IOException("ZSTD compression failed: " + Zstd.getErrorName(n));
        }
        yield (int) n;
      }
    };
  }
}
