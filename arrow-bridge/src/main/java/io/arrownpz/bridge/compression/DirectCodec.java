package io.arrownpz.bridge.compression;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Our codecs' one way of decompressing a single buffer: check the declared length, allocate it, decode
 * into it. Arrow's base class handles the prefix's special values (-1, 0) before this is asked.
 */
abstract class DirectCodec extends AbstractCompressionCodec implements DirectDecompression {
  @Override
  protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
    long prefix = CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
    long declared = checkedLength(readUncompressedLength(compressed), compressed.writerIndex() - prefix);
    ArrowBuf out = allocator.buffer(declared);
    try {
      decompressInto(compressed, out, 0, declared);
      out.writerIndex(declared);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }
}
