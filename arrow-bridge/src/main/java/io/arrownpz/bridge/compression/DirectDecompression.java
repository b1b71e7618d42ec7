package io.arrownpz.bridge.compression;

import org.apache.arrow.memory.ArrowBuf;

/**
 * A codec that can decompress into a place of our choosing, so that all the buffers of a batch go into
 * one allocation (a batch of a wide table has tens of thousands of small buffers, and an allocation
 * each costs more than decompressing them).
 */
interface DirectDecompression {
  /** The declared length, if the codec and the bounds allow it; otherwise a {@link CompressedBufferException}. */
  long checkedLength(long declared, long compressedBytes);

  /** Decompresses {@code compressed} (length prefix included) into exactly {@code out[at, at + length)}. */
  void decompressInto(ArrowBuf compressed, ArrowBuf out, long at, long length);
}
