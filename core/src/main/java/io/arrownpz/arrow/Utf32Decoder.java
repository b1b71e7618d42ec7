package io.arrownpz.arrow;

import io.arrownpz.BadFileException;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Converts NumPy {@code U<n>} elements (n UTF-32LE code points, NUL-padded) into an Arrow Utf8 or
 * LargeUtf8 vector in one pass. UTF-8 never needs more bytes than UTF-32 for the same text, so the data
 * buffer is sized from the input and never grows.
 */
final class Utf32Decoder {
  private Utf32Decoder() {}

  static void load(FieldVector target, long src, int count, int width, BufferAllocator allocator,
      Supplier<String> source)
      throws IOException {
    boolean large = target.getField().getType() instanceof ArrowType.LargeUtf8;
    int offsetWidth = large ? 8 : 4;
    long maxBytes = (long) count * width * 4;
    try (ArrowBuf offsets = allocator.buffer((long) (count + 1) * offsetWidth);
         ArrowBuf data = allocator.buffer(Math.max(maxBytes, 1))) {
      long off = offsets.memoryAddress();
      long out = data.memoryAddress();
      long written = 0;
      VariableWidth.putOffset(off, 0, 0, large);
      for (int i = 0; i < count; i++) {
        long element = src + (long) i * width * 4;
        int length = width;
        while (length > 0 && MemoryUtil.getInt(element + 4L * (length - 1)) == 0) {
          length--;
        }
        for (int k = 0; k < length; k++) {
          int cp = MemoryUtil.getInt(element + 4L * k);
          written += encode(cp, out + written, source, i);
        }
        VariableWidth.putOffset(off, i + 1, written, large);
      }
      VariableWidth.load(target, count, offsets, data);
    }
  }



  /** Writes one code point as UTF-8 at {@code at}; returns the bytes written. */
  private static int encode(int cp, long at, Supplier<String> source, int element) throws IOException {
    if (cp >= 0 && cp < 0x80) {
      MemoryUtil.putByte(at, (byte) cp);
      return 1;
    }
    if (cp >= 0 && cp < 0x800) {
      MemoryUtil.putByte(at, (byte) (0xC0 | cp >>> 6));
      MemoryUtil.putByte(at + 1, (byte) (0x80 | cp & 0x3F));
      return 2;
    }
    if (cp >= 0 && cp < 0x10000) {
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        throw invalid(cp, source, element);
      }
      MemoryUtil.putByte(at, (byte) (0xE0 | cp >>> 12));
      MemoryUtil.putByte(at + 1, (byte) (0x80 | cp >>> 6 & 0x3F));
      MemoryUtil.putByte(at + 2, (byte) (0x80 | cp & 0x3F));
      return 3;
    }
    if (cp >= 0 && cp <= 0x10FFFF) {
      MemoryUtil.putByte(at, (byte) (0xF0 | cp >>> 18));
      MemoryUtil.putByte(at + 1, (byte) (0x80 | cp >>> 12 & 0x3F));
      MemoryUtil.putByte(at + 2, (byte) (0x80 | cp >>> 6 & 0x3F));
      MemoryUtil.putByte(at + 3, (byte) (0x80 | cp & 0x3F));
      return 4;
    }
    throw invalid(cp, source, element);
  }

  private static BadFileException invalid(int cp, Supplier<String> source, int element) {
    return new BadFileException(source.get(), null, String.format(
        "element %d holds U+%X, which is not a Unicode scalar value and has no UTF-8 form", element, cp & 0xFFFFFFFFL));
  }
}
