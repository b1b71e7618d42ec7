package io.arrownpz.bridge.compression;

/**
 * The uncompressed length an IPC buffer declares in its 8-byte prefix, treated as a claim: it decides
 * how much we allocate, so it must stay below the bound set for the reader, and below what the codec
 * could possibly expand the data to.
 */
final class DeclaredLength {
  private DeclaredLength() {}

  /**
   * @param declared the prefix's value (not 0 or -1, which Arrow handles before asking the codec)
   * @param compressedBytes the bytes after the prefix
   * @param maxRatio how many times its size the codec can expand data at most (0: no such limit)
   * @param maxBytes the largest buffer this reader allocates
   */
  static long check(String codec, long declared, long compressedBytes, long maxRatio, long maxBytes) {
    if (declared < 0) {
      throw new CompressedBufferException(codec + " buffer declares a negative length (" + declared + ")");
    }
    if (declared > maxBytes) {
      throw new CompressedBufferException(codec + " buffer declares " + declared + " bytes, more than the "
          + maxBytes + " this reader allows for one buffer");
    }
    if (maxRatio > 0 && declared / maxRatio > compressedBytes + 64) {
      throw new CompressedBufferException(codec + " buffer declares " + declared + " bytes from "
          + compressedBytes + " compressed bytes, more than " + codec + " can expand to");
    }
    return declared;
  }
}
