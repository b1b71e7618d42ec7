package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.ipc.BufferSlots.Slot;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Turns a record batch written on a big-endian machine into native (little-endian) order, as Arrow C++
 * does on read: every multi-byte number of every buffer is byte-swapped (offsets, sizes, numbers,
 * temporal values, decimals as whole 128- or 256-bit integers, each part of an interval, the length and
 * position words of string views); bitmaps, type ids and bytes stay as they are. Swapped buffers are
 * new; the others are shared with the input. Whether a file is big-endian is said by its schema
 * message, so readers check it once and call this for every batch and dictionary.
 */
public final class ByteOrderSwap {
  private ByteOrderSwap() {}

  /** The batch with native byte order; a new batch the caller closes, as well as {@code batch}. */
  public static ArrowRecordBatch toNative(ArrowRecordBatch batch, List<Field> fields, BufferAllocator allocator) {
    return swap(batch, fields, allocator, true);
  }

  /**
   * The reverse: a native batch in big-endian order, as a big-endian machine would write it (tests make
   * such files with it, and pyarrow checks them).
   */
  public static ArrowRecordBatch toBigEndian(ArrowRecordBatch batch, List<Field> fields, BufferAllocator allocator) {
    return swap(batch, fields, allocator, false);
  }

  private static ArrowRecordBatch swap(ArrowRecordBatch batch, List<Field> fields, BufferAllocator allocator,
      boolean fromBigEndian) {
    List<Slot> slots = BufferSlots.of(fields, batch);
    List<ArrowBuf> in = batch.getBuffers();
    List<ArrowBuf> out = new ArrayList<>(in.size());
    try {
      for (int i = 0; i < in.size(); i++) {
        ArrowBuf source = in.get(i);
        Unit unit = i < slots.size() ? unit(slots.get(i)) : Unit.NONE;
        if (unit == Unit.NONE || source.writerIndex() == 0) {
          // A view of its own (its indexes are not the source's, which a vector may move), same memory.
          ArrowBuf kept = source.slice(0, source.writerIndex());
          kept.getReferenceManager().retain();
          out.add(kept);
          continue;
        }
        long size = source.writerIndex();
        ArrowBuf copy = allocator.buffer(size);
        out.add(copy);
        swap(unit, source, copy, size, fromBigEndian);
        copy.writerIndex(size);
      }
    } catch (RuntimeException e) {
      out.forEach(ArrowBuf::close);
      throw e;
    }
    return new ArrowRecordBatch(batch.getLength(), batch.getNodes(), out, batch.getBodyCompression(),
        batch.getVariadicBufferCounts(), true, false);
  }

  /** How the values of a buffer are swapped. */
  enum Unit {
    NONE, TWO, FOUR, EIGHT, REVERSE_16, REVERSE_32, MONTH_DAY_NANO, VIEW
  }

  static Unit unit(Slot slot) {
    return switch (slot.kind()) {
      case OFFSET, SIZE -> bytes(slot.bitWidth() / 8);
      case VIEWS -> Unit.VIEW;
      case DATA -> dataUnit(slot.type());
      default -> Unit.NONE; // validity bitmaps, union type ids, variadic bytes
    };
  }

  private static Unit dataUnit(ArrowType type) {
    if (type instanceof ArrowType.Int i) {
      return bytes(i.getBitWidth() / 8);
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      return switch (f.getPrecision()) {
        case HALF -> Unit.TWO;
        case SINGLE -> Unit.FOUR;
        case DOUBLE -> Unit.EIGHT;
      };
    }
    if (type instanceof ArrowType.Date d) {
      return d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? Unit.FOUR : Unit.EIGHT;
    }
    if (type instanceof ArrowType.Time t) {
      return bytes(t.getBitWidth() / 8);
    }
    if (type instanceof ArrowType.Timestamp || type instanceof ArrowType.Duration) {
      return Unit.EIGHT;
    }
    if (type instanceof ArrowType.Interval interval) {
      return switch (interval.getUnit()) {
        case YEAR_MONTH, DAY_TIME -> Unit.FOUR; // one int32, or two int32 each swapped on its own
        case MONTH_DAY_NANO -> Unit.MONTH_DAY_NANO;
      };
    }
    if (type instanceof ArrowType.Decimal d) {
      return switch (d.getBitWidth()) {
        case 128 -> Unit.REVERSE_16;
        case 256 -> Unit.REVERSE_32;
        default -> bytes(d.getBitWidth() / 8);
      };
    }
    return Unit.NONE; // booleans, bytes, strings
  }

  private static Unit bytes(int width) {
    return switch (width) {
      case 2 -> Unit.TWO;
      case 4 -> Unit.FOUR;
      case 8 -> Unit.EIGHT;
      default -> Unit.NONE;
    };
  }

  private static void swap(Unit unit, ArrowBuf in, ArrowBuf out, long size, boolean fromBigEndian) {
    switch (unit) {
      case TWO -> {
        for (long i = 0; i + 2 <= size; i += 2) {
          out.setShort(i, Short.reverseBytes(in.getShort(i)));
        }
      }
      case FOUR -> {
        for (long i = 0; i + 4 <= size; i += 4) {
          out.setInt(i, Integer.reverseBytes(in.getInt(i)));
        }
      }
      case EIGHT -> {
        for (long i = 0; i + 8 <= size; i += 8) {
          out.setLong(i, Long.reverseBytes(in.getLong(i)));
        }
      }
      case REVERSE_16, REVERSE_32 -> {
        int width = unit == Unit.REVERSE_16 ? 16 : 32;
        for (long v = 0; v + width <= size; v += width) {
          // A whole two's-complement integer: its first word becomes its last, each word byte-swapped.
          for (int w = 0; w < width; w += 8) {
            out.setLong(v + width - 8 - w, Long.reverseBytes(in.getLong(v + w)));
          }
        }
      }
      case MONTH_DAY_NANO -> {
        for (long v = 0; v + 16 <= size; v += 16) {
          out.setInt(v, Integer.reverseBytes(in.getInt(v)));
          out.setInt(v + 4, Integer.reverseBytes(in.getInt(v + 4)));
          out.setLong(v + 8, Long.reverseBytes(in.getLong(v + 8)));
        }
      }
      case VIEW -> {
        // A view is a length, then 12 inline bytes (short values) or a 4-byte prefix, a buffer index
        // and an offset (long values); only the numbers turn.
        for (long v = 0; v + 16 <= size; v += 16) {
          int stored = in.getInt(v);
          int length = fromBigEndian ? Integer.reverseBytes(stored) : stored;
          out.setInt(v, Integer.reverseBytes(stored));
          if (length <= 12) {
            out.setBytes(v + 4, in, v + 4, 12);
          } else {
            out.setInt(v + 4, in.getInt(v + 4));
            out.setInt(v + 8, Integer.reverseBytes(in.getInt(v + 8)));
            out.setInt(v + 12, Integer.reverseBytes(in.getInt(v + 12)));
          }
        }
      }
      case NONE -> throw new IllegalStateException("nothing to swap");
    }
    long tail = size - size / tailWidth(unit) * tailWidth(unit);
    if (tail > 0) {
      out.setBytes(size - tail, in, size - tail, tail); // padding past the last whole value
    }
  }

  private static long tailWidth(Unit unit) {
    return switch (unit) {
      case TWO -> 2;
      case FOUR -> 4;
      case EIGHT -> 8;
      case REVERSE_32 -> 32;
      default -> 16;
    };
  }
}
