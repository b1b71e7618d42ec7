package io.arrownpz.pack;

import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;

/** The values of a fixed-width column of 1, 2, 4 or 8 bytes, each widened to a long, read by address. */
final class FixedWidthKeys {
  private final long data;
  private final int width;

  FixedWidthKeys(BaseFixedWidthVector column) {
    this.data = column.getDataBuffer().memoryAddress();
    this.width = column.getTypeWidth();
  }

  long at(int row) {
    long address = data + (long) row * width;
    return switch (width) {
      case 1 -> MemoryUtil.getByte(address);
      case 2 -> MemoryUtil.getShort(address);
      case 4 -> MemoryUtil.getInt(address);
      default -> MemoryUtil.getLong(address);
    };
  }
}
