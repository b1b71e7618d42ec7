package io.arrownpz.zip;

/**
 * One member as the central directory describes it. Sizes and offsets are claims, checked against the
 * file when the member is read.
 *
 * @param name the member's name, exactly as stored (may contain "..", "/" or anything else)
 * @param method 0 STORED, 8 DEFLATED
 * @param crc32 the CRC-32 of the uncompressed bytes
 * @param compressedSize bytes of data in the archive
 * @param size bytes after decompression
 * @param localHeaderOffset where the member's local header starts
 * @param index the member's place in the central directory, from 0
 */
public record ZipEntry(String name, int method, int crc32, long compressedSize, long size, long localHeaderOffset,
    int index) {
  public boolean isStored() {
    return method == ZipFormat.METHOD_STORED;
  }

  public boolean isDeflated() {
    return method == ZipFormat.METHOD_DEFLATED;
  }

  public String compressionName() {
    return switch (method) {
      case ZipFormat.METHOD_STORED -> "stored";
      case ZipFormat.METHOD_DEFLATED -> "deflated";
      default -> "method " + method;
    };
  }
}
