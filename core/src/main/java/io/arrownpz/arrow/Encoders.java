package io.arrownpz.arrow;

import io.arrownpz.NullsNotHeldException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.internal.arrow.TemporalUnits;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.Float16;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;

/** The {@link ElementEncoder}s, one per family of Arrow layouts. */
final class Encoders {
  private static final long NAT = Long.MIN_VALUE;

  private Encoders() {}

  /** An encoder whose count, item size and contiguous address are known when it is made. */
  private abstract static class Sized implements ElementEncoder {
    private final long count;
    private final int itemSize;
    private final long contiguousAddress;

    Sized(long count, int itemSize, long contiguousAddress) {
      this.count = count;
      this.itemSize = itemSize;
      this.contiguousAddress = contiguousAddress;
    }

    @Override
    public final long count() {
      return count;
    }

    @Override
    public final int itemSize() {
      return itemSize;
    }

    @Override
    public final long contiguousAddress() {
      return contiguousAddress;
    }
  }

  /**
   * Fixed-width numbers: each source value (of the vector's width, read as an integer or a float) is
   * written in the width of {@code target}; Date32 days widen to int64, for example. Null slots become NaN
   * for floats and NaT for datetimes; any other dtype refuses nulls.
   */
  static ElementEncoder fixedWidth(FieldVector vector, NpyDtype target, String column) {
    BaseFixedWidthVector v = (BaseFixedWidthVector) vector;
    int sourceWidth = v.getTypeWidth();
    long count = v.getValueCount();
    boolean hasNulls = v.getNullCount() > 0;
    Kind kind = target.kind();
    if (hasNulls && !(kind == Kind.FLOAT || kind == Kind.COMPLEX || kind.isTemporal())) {
      throw new NullsNotHeldException(column, v.getNullCount(), target, kind == Kind.INT || kind == Kind.UINT);
    }
    boolean floating = kind == Kind.FLOAT || kind == Kind.COMPLEX;
    int targetSize = kind == Kind.COMPLEX ? target.itemSize() / 2 : target.itemSize();
    // A timestamp written in a coarser datetime unit (seconds as the days of datetime64[D]): divided.
    long divisor = TemporalUnits.divisor(vector.getField().getType(), target);
    boolean sameBytes = sourceWidth == targetSize && !hasNulls && !target.isBigEndian() && divisor == 1;
    long base = v.getDataBuffer().memoryAddress();
    ArrowBuf validity = v.getValidityBuffer();
    return new Sized(count, targetSize, sameBytes && count > 0 ? base : 0) {
      @Override
      public void put(long index, ByteBuffer out) {
        boolean isNull = hasNulls && (validity.getByte(index >>> 3) >> (index & 7) & 1) == 0;
        long at = base + index * sourceWidth;
        if (!isNull && divisor != 1) {
          long value = readInt(at, sourceWidth);
          if (value % divisor != 0) {
            throw new UnsupportedDataException(column, "row " + index + " (" + value + ") is not a whole "
                + target.unit().name().toLowerCase(java.util.Locale.ROOT) + ", as its dtype " + target + " needs");
          }
          out.putLong(value / divisor);
          return;
        }
        if (!isNull && sourceWidth == targetSize) {
          // Same width: copy the bits, so NaN payloads and -0.0 survive; only the byte order may change.
          switch (targetSize) {
            case 1 -> out.put(MemoryUtil.getByte(at));
            case 2 -> out.putShort(MemoryUtil.getShort(at));
            case 4 -> out.putInt(MemoryUtil.getInt(at));
            default -> out.putLong(MemoryUtil.getLong(at));
          }
          return;
        }
        if (floating) {
          double d = isNull ? Double.NaN : readFloat(at, sourceWidth);
          switch (targetSize) {
            case 2 -> out.putShort(Float16.toFloat16((float) d));
            case 4 -> out.putFloat((float) d);
            default -> out.putDouble(d);
          }
          return;
        }
        long value = isNull ? NAT : readInt(at, sourceWidth);
        switch (targetSize) {
          case 1 -> out.put((byte) value);
          case 2 -> out.putShort((short) value);
          case 4 -> out.putInt((int) value);
          default -> out.putLong(value);
        }
      }
    };
  }

  private static double readFloat(long at, int width) {
    return switch (width) {
      case 2 -> Float16.toFloat(MemoryUtil.getShort(at));
      case 4 -> Float.intBitsToFloat(MemoryUtil.getInt(at));
      default -> Double.longBitsToDouble(MemoryUtil.getLong(at));
    };
  }

  private static long readInt(long at, int width) {
    return switch (width) {
      case 1 -> MemoryUtil.getByte(at);
      case 2 -> MemoryUtil.getShort(at);
      case 4 -> MemoryUtil.getInt(at);
      default -> MemoryUtil.getLong(at);
    };
  }

  static ElementEncoder bool(BitVector v, String column) {
    if (v.getNullCount() > 0) {
      throw new NullsNotHeldException(column, v.getNullCount(), "bool", true);
    }
    long count = v.getValueCount();
    long bits = v.getDataBuffer().memoryAddress();
    return new Sized(count, 1, 0) {
      @Override
      public void put(long index, ByteBuffer out) {
        out.put((byte) (MemoryUtil.getByte(bits + (index >>> 3)) >> (index & 7) & 1));
      }
    };
  }

  /**
   * Where the bytes of element {@code i} of a variable-width vector are (an absolute address) and how
   * many there are, whatever its layout: offsets into one data buffer (32- or 64-bit), fixed-size
   * slots, or views (polars writes its strings as views).
   */
  private interface Slices {
    long address(long i);

    long length(long i);
  }

  private static Slices slices(FieldVector v) {
    if (v instanceof BaseVariableWidthViewVector views) {
      return new ViewSlices(views);
    }
    long data = v.getDataBuffer().memoryAddress();
    if (v instanceof BaseLargeVariableWidthVector) {
      long offsets = v.getOffsetBuffer().memoryAddress();
      return new Slices() {
        public long address(long i) {
          return data + MemoryUtil.getLong(offsets + 8 * i);
        }

        public long length(long i) {
          return MemoryUtil.getLong(offsets + 8 * i + 8) - MemoryUtil.getLong(offsets + 8 * i);
        }
      };
    }
    if (v instanceof BaseVariableWidthVector) {
      long offsets = v.getOffsetBuffer().memoryAddress();
      return new Slices() {
        public long address(long i) {
          return data + MemoryUtil.getInt(offsets + 4 * i);
        }

        public long length(long i) {
          return MemoryUtil.getInt(offsets + 4 * i + 4) - MemoryUtil.getInt(offsets + 4 * i);
        }
      };
    }
    int width = ((FixedSizeBinaryVector) v).getByteWidth();
    return new Slices() {
      public long address(long i) {
        return data + i * width;
      }

      public long length(long i) {
        return width;
      }
    };
  }

  /**
   * A view vector's elements: 16 bytes per element, the length first; up to 12 bytes are held in the
   * view itself, longer values in one of the data buffers (its index and offset at bytes 8 and 12).
   */
  private static final class ViewSlices implements Slices {
    private final long views;
    private final long[] buffers;

    ViewSlices(BaseVariableWidthViewVector v) {
      views = v.getDataBuffer().memoryAddress();
      buffers = v.getDataBuffers().stream().mapToLong(ArrowBuf::memoryAddress).toArray();
    }

    public long address(long i) {
      long view = views + (long) BaseVariableWidthViewVector.ELEMENT_SIZE * i;
      if (MemoryUtil.getInt(view) <= BaseVariableWidthViewVector.INLINE_SIZE) {
        return view + 4;
      }
      return buffers[MemoryUtil.getInt(view + 8)] + Integer.toUnsignedLong(MemoryUtil.getInt(view + 12));
    }

    public long length(long i) {
      return MemoryUtil.getInt(views + (long) BaseVariableWidthViewVector.ELEMENT_SIZE * i);
    }
  }

  /**
   * The most code points any element of a UTF-8 vector has: the width of the {@code U} dtype it needs.
   * Null slots are skipped: what they hold is undefined (a view's may point anywhere).
   */
  static int maxCodePoints(FieldVector v) {
    Slices s = slices(v);
    int max = 0;
    for (int i = 0; i < v.getValueCount(); i++) {
      if (v.isNull(i)) {
        continue;
      }
      long start = s.address(i);
      long end = start + s.length(i);
      int n = 0;
      for (long p = start; p < end; p++) {
        if ((MemoryUtil.getByte(p) & 0xC0) != 0x80) {
          n++;
        }
      }
      max = Math.max(max, n);
    }
    return max;
  }

  /** The longest element of a binary vector, in bytes; null slots skipped, as for {@link #maxCodePoints}. */
  static int maxBytes(FieldVector v) {
    Slices s = slices(v);
    long max = 0;
    for (int i = 0; i < v.getValueCount(); i++) {
      max = v.isNull(i) ? max : Math.max(max, s.length(i));
    }
    return (int) max;
  }

  /** UTF-8 strings to UTF-32 code points, NUL-padded to the dtype's width. */
  static ElementEncoder utf32(FieldVector v, NpyDtype target, String column) {
    requireNoNulls(v, column, target);
    Slices s = slices(v);
    requireReadBackSame(s, v.getValueCount(), target, column);
    int width = target.width();
    long count = v.getValueCount();
    return new Sized(count, target.itemSize(), 0) {
      @Override
      public void put(long index, ByteBuffer out) {
        long p = s.address(index);
        long end = p + s.length(index);
        int written = 0;
        while (p < end) {
          int b = MemoryUtil.getByte(p) & 0xFF;
          int cp;
          int len;
          if (b < 0x80) {
            cp = b;
            len = 1;
          } else if (b < 0xE0) {
            cp = (b & 0x1F) << 6 | MemoryUtil.getByte(p + 1) & 0x3F;
            len = 2;
          } else if (b < 0xF0) {
            cp = (b & 0x0F) << 12 | (MemoryUtil.getByte(p + 1) & 0x3F) << 6 | MemoryUtil.getByte(p + 2) & 0x3F;
            len = 3;
          } else {
            cp = (b & 0x07) << 18 | (MemoryUtil.getByte(p + 1) & 0x3F) << 12
                | (MemoryUtil.getByte(p + 2) & 0x3F) << 6 | MemoryUtil.getByte(p + 3) & 0x3F;
            len = 4;
          }
          out.putInt(cp);
          p += len;
          written++;
        }
        for (; written < width; written++) {
          out.putInt(0);
        }
      }
    };
  }

  /** Binary values to fixed-width bytes, NUL-padded to the dtype's width. */
  static ElementEncoder fixedBytes(FieldVector v, NpyDtype target, String column) {
    requireNoNulls(v, column, target);
    Slices s = slices(v);
    if (!(v instanceof FixedSizeBinaryVector)) {
      // Fixed-size binary reaches NumPy only as its nearest dtype, asked for: its NumPy form is accepted.
      requireReadBackSame(s, v.getValueCount(), target, column);
    }
    int width = target.itemSize();
    long count = v.getValueCount();
    boolean sameBytes = v instanceof FixedSizeBinaryVector f && f.getByteWidth() == width;
    return new Sized(count, width, sameBytes && count > 0 ? v.getDataBuffer().memoryAddress() : 0) {
      @Override
      public void put(long index, ByteBuffer out) {
        long start = s.address(index);
        int len = (int) s.length(index);
        for (int k = 0; k < len; k++) {
          out.put(MemoryUtil.getByte(start + k));
        }
        for (int k = len; k < width; k++) {
          out.put((byte) 0);
        }
      }
    };
  }

  /** A complex number is its two parts, real then imaginary, from the FixedSizeList's child. */
  static ElementEncoder complex(ElementEncoder parts) {
    return new Sized(parts.count() / 2, parts.itemSize() * 2, parts.contiguousAddress()) {
      @Override
      public void put(long index, ByteBuffer out) {
        parts.put(2 * index, out);
        parts.put(2 * index + 1, out);
      }
    };
  }

  /**
   * NumPy's fixed-width text and bytes cannot hold every value as it is: {@code S} and {@code U} drop
   * trailing NULs on reading (so a value ending in one would come back shorter), and {@code V} keeps the
   * padding (so a shorter value would come back longer). Such values are refused, never changed.
   */
  private static void requireReadBackSame(Slices s, long count, NpyDtype target, String column) {
    boolean isVoid = target.kind() == Kind.VOID;
    for (long i = 0; i < count; i++) {
      long length = s.length(i);
      if (isVoid ? length != target.itemSize() : length > 0 && MemoryUtil.getByte(s.address(i) + length - 1) == 0) {
        throw new UnsupportedDataException(column, "the value at row " + i + (isVoid
            ? " is not " + target.itemSize() + " bytes long, which NumPy " + target + " would pad"
            : " ends in a NUL, which NumPy " + target + " drops on reading") + "; refused rather than changed");
      }
    }
  }

  private static void requireNoNulls(FieldVector v, String column, NpyDtype target) {
    if (v.getNullCount() > 0) {
      throw new NullsNotHeldException(column, v.getNullCount(), target, false);
    }
  }

  static ByteOrder order(NpyDtype dtype) {
    return dtype.byteOrder();
  }
}
