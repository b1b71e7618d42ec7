package io.arrownpz.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Converts fixed-width NumPy bytes ({@code S<n>}, {@code V<n>}) into an Arrow Binary or LargeBinary
 * vector in one pass. For {@code S}, trailing NULs are padding and are dropped, as NumPy does; {@code V}
 * is raw and kept whole.
 */
final class BinaryLoader {
  private BinaryLoader() {}

  static void load(FieldVector target, long src, int count, int width, boolean trimNuls, BufferAllocator allocator) {
    boolean large = target.getField().getType() instanceof ArrowType.LargeBinary;
    int offsetWidth = large ? 8 : 4;
    try (ArrowBuf offsets = allocator.buffer((long) (count + 1) * offsetWidth);
         ArrowBuf data = allocator.buffer(Math.max((long) count * width, 1))) {
      long off = offsets.memoryAddress();
      long out = data.memoryAddress();
      long written = 0;
      VariableWidth.putOffset(off, 0, 0, large);
      for (int i = 0; i < count; i++) {
        long element = src + (long) i * width;
        int length = width;
        if (trimNuls) {
          while (length > 0 && MemoryUtil.getByte(element + length - 1) == 0) {
            length--;
          }
        }
        MemoryUtil.copyMemory(element, out + written, length);
        written += length;
        VariableWidth.putOffset(off, i + 1, written, large);
      }
      VariableWidth.load(target, count, offsets, data);
    }
  }


}
