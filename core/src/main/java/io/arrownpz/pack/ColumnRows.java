package io.arrownpz.pack;

import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.compare.Range;
import org.apache.arrow.vector.compare.RangeEqualsVisitor;

/**
 * Hashes and compares the rows of one column, by value: two nulls are the same, floats compare by
 * their bits. Fixed- and variable-width vectors are read straight from their buffers, because grouping
 * calls this once or twice per row; other types go through Arrow's own hash and equality.
 */
abstract class ColumnRows {
  static final long NULL_HASH = 0x9E3779B97F4A7C15L;

  abstract long hash(int row);

  abstract boolean same(int a, int b);

  abstract boolean isNull(int row);

  static ColumnRows of(FieldVector vector) {
    if (vector instanceof BaseFixedWidthVector f && !(vector instanceof BitVector) && f.getTypeWidth() > 0) {
      return new FixedWidth(f);
    }
    if (vector instanceof BaseVariableWidthVector v) {
      return new VariableWidth(v.getOffsetBuffer().memoryAddress(), 4, v);
    }
    if (vector instanceof BaseLargeVariableWidthVector v) {
      return new VariableWidth(v.getOffsetBuffer().memoryAddress(), 8, v);
    }
    return new Generic(vector);
  }

  /** A 64-bit finalizer, so that sequential ids spread over the hash table. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }

  private abstract static class WithValidity extends ColumnRows {
    private final FieldVector vector;
    private final long validity;
    private final boolean noNulls;

    WithValidity(FieldVector vector) {
      this.vector = vector;
      this.noNulls = vector.getNullCount() == 0;
      this.validity = vector.getValidityBuffer().memoryAddress();
    }

    @Override
    final boolean isNull(int row) {
      return !noNulls && (MemoryUtil.getByte(validity + (row >>> 3)) >> (row & 7) & 1) == 0;
    }

    FieldVector vector() {
      return vector;
    }
  }

  private static final class FixedWidth extends WithValidity {
    private final long data;
    private final int width;

    FixedWidth(BaseFixedWidthVector vector) {
      super(vector);
      this.data = vector.getDataBuffer().memoryAddress();
      this.width = vector.getTypeWidth();
    }

    private long word(int row, int part) {
      long at = data + (long) row * width + 8L * part;
      int left = width - 8 * part;
      return switch (Math.min(left, 8)) {
        case 1 -> MemoryUtil.getByte(at);
        case 2 -> MemoryUtil.getShort(at);
        case 4 -> MemoryUtil.getInt(at);
        case 8 -> MemoryUtil.getLong(at);
        default -> bytes(at, Math.min(left, 8));
      };
    }

    private static long bytes(long at, int count) {
      long v = 0;
      for (int i = 0; i < count; i++) {
        v = v << 8 | (MemoryUtil.getByte(at + i) & 0xFF);
      }
      return v;
    }

    @Override
    long hash(int row) {
      if (isNull(row)) {
        return NULL_HASH;
      }
      long h = word(row, 0);
      for (int part = 1; part * 8 < width; part++) {
        h = h * 31 + mix(word(row, part));
      }
      return mix(h);
    }

    @Override
    boolean same(int a, int b) {
      boolean nullA = isNull(a);
      if (nullA || isNull(b)) {
        return nullA && isNull(b);
      }
      for (int part = 0; part * 8 < width; part++) {
        if (word(a, part) != word(b, part)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final class VariableWidth extends WithValidity {
    private final long offsets;
    private final int offsetWidth;
    private final long data;

    VariableWidth(long offsets, int offsetWidth, FieldVector vector) {
      super(vector);
      this.offsets = offsets;
      this.offsetWidth = offsetWidth;
      this.data = vector.getDataBuffer().memoryAddress();
    }

    private long offset(int row) {
      return offsetWidth == 4 ? MemoryUtil.getInt(offsets + 4L * row) : MemoryUtil.getLong(offsets + 8L * row);
    }

    @Override
    long hash(int row) {
      if (isNull(row)) {
        return NULL_HASH;
      }
      long start = offset(row);
      long end = offset(row + 1);
      long h = end - start;
      long at = data + start;
      long stop = data + end;
      for (; at + 8 <= stop; at += 8) {
        h = h * 0x100000001B3L + MemoryUtil.getLong(at);
      }
      for (; at < stop; at++) {
        h = h * 31 + MemoryUtil.getByte(at);
      }
      return mix(h);
    }

    @Override
    boolean same(int a, int b) {
      boolean nullA = isNull(a);
      if (nullA || isNull(b)) {
        return nullA && isNull(b);
      }
      long startA = offset(a);
      long length = offset(a + 1) - startA;
      long startB = offset(b);
      if (offset(b + 1) - startB != length) {
        return false;
      }
      long i = 0;
      for (; i + 8 <= length; i += 8) {
        if (MemoryUtil.getLong(data + startA + i) != MemoryUtil.getLong(data + startB + i)) {
          return false;
        }
      }
      for (; i < length; i++) {
        if (MemoryUtil.getByte(data + startA + i) != MemoryUtil.getByte(data + startB + i)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final class Generic extends ColumnRows {
    private final FieldVector vector;
    private final RangeEqualsVisitor equals;
    private final Range range = new Range();

    Generic(FieldVector vector) {
      this.vector = vector;
      this.equals = new RangeEqualsVisitor(vector, vector);
    }

    @Override
    long hash(int row) {
      return vector.isNull(row) ? NULL_HASH : mix(vector.hashCode(row));
    }

    @Override
    boolean same(int a, int b) {
      return a == b || equals.rangeEquals(range.setLeftStart(a).setRightStart(b).setLength(1));
    }

    @Override
    boolean isNull(int row) {
      return vector.isNull(row);
    }
  }
}
