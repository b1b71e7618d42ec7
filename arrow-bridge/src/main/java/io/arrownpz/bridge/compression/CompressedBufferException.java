package io.arrownpz.bridge.compression;

/**
 * A compressed IPC buffer that cannot be what it claims: a malformed LZ4 frame or ZSTD frame, a
 * declared length that does not match what the data decompresses to, or one beyond the allowed bound.
 * Readers turn it into a {@code BadFileException} naming the file and the batch.
 */
class CompressedBufferException extends IllegalArgumentException {
  CompressedBufferException(String problem) {
    super(problem);
  }
}
