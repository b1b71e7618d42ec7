package io.arrownpz.bridge.internal;

import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.LargeListViewVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.ListViewVector;
import org.apache.arrow.vector.complex.NonNullableStructVector;
import org.apache.arrow.vector.complex.RunEndEncodedVector;
import org.apache.arrow.vector.complex.UnionVector;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * Checks that a loaded vector's buffers back what its lengths, offsets, sizes and views claim, so that
 * code reading vectors straight from memory (ours does, and so does Arrow's C++ Parquet writer) never
 * runs past a buffer of a file that lies. Arrow Java 18.3's own validator is used for the leaf types it
 * handles; it rejects maps, views, list views, run-end encoded and extension vectors outright, and
 * knows no Float2Vector, so containers are walked here.
 */
final class VectorChecks {
  private VectorChecks() {}

  /** @throws IllegalArgumentException naming the problem */
  static void check(ValueVector vector) {
    long n = vector.getValueCount();
    if (vector instanceof ExtensionTypeVector<?> extension) {
      check(extension.getUnderlyingVector());
    } else if (vector instanceof BaseFixedWidthVector fixed) {
      long data = fixed instanceof BitVector ? (n + 7) / 8 : n * fixed.getTypeWidth();
      atLeast(fixed.getDataBuffer(), data, n, "data");
      atLeast(fixed.getValidityBuffer(), (n + 7) / 8, n, "validity");
    } else if (vector instanceof BaseVariableWidthVector || vector instanceof BaseLargeVariableWidthVector) {
      variableWidth((FieldVector) vector);
    } else if (vector instanceof BaseVariableWidthViewVector views) {
      views(views);
    } else if (vector instanceof FixedSizeListVector list) {
      atLeast(list.getValidityBuffer(), (n + 7) / 8, n, "validity");
      if (list.getDataVector().getValueCount() < n * list.getListSize()) {
        throw new IllegalArgumentException(n + " lists of " + list.getListSize() + " need more than the "
            + list.getDataVector().getValueCount() + " child values present");
      }
      check(list.getDataVector());
    } else if (vector instanceof ListVector list) { // maps too
      offsets(list.getOffsetBuffer(), 4, n, list.getDataVector().getValueCount());
      atLeast(list.getValidityBuffer(), (n + 7) / 8, n, "validity");
      check(list.getDataVector());
    } else if (vector instanceof LargeListVector list) {
      offsets(list.getOffsetBuffer(), 8, n, list.getDataVector().getValueCount());
      atLeast(list.getValidityBuffer(), (n + 7) / 8, n, "validity");
      check(list.getDataVector());
    } else if (vector instanceof ListViewVector list) {
      listViews(list.getOffsetBuffer(), list.getSizeBuffer(), 4, n, list.getDataVector().getValueCount());
      check(list.getDataVector());
    } else if (vector instanceof LargeListViewVector list) {
      listViews(list.getOffsetBuffer(), list.getSizeBuffer(), 8, n, list.getDataVector().getValueCount());
      check(list.getDataVector());
    } else if (vector instanceof NonNullableStructVector struct) {
      for (FieldVector child : struct.getChildrenFromFields()) {
        if (child.getValueCount() < n) {
          throw new IllegalArgumentException("struct field '" + child.getName() + "' has " + child.getValueCount()
              + " values for " + n + " rows");
        }
        check(child);
      }
    } else if (vector instanceof RunEndEncodedVector ree) {
      runEnds(ree);
    } else if (vector instanceof UnionVector || vector instanceof DenseUnionVector) {
      ValueVectorUtility.validateFull(vector);
    } else {
      ValueVectorUtility.validateFull(vector);
    }
  }

  /**
   * Strings and binaries: validity and offsets back the values, the offsets stay inside the data, and
   * every string that is not null is well-formed UTF-8 (as Arrow's full validation demands, without its
   * copy of each value).
   */
  private static void variableWidth(FieldVector vector) {
    long n = vector.getValueCount();
    int width = vector instanceof BaseVariableWidthVector ? 4 : 8;
    ArrowBuf data = vector.getDataBuffer();
    ArrowBuf offsets = vector.getOffsetBuffer();
    atLeast(vector.getValidityBuffer(), (n + 7) / 8, n, "validity");
    offsets(offsets, width, n, data.capacity());
    if (!(vector instanceof VarCharVector || vector instanceof LargeVarCharVector) || n == 0) {
      return;
    }
    if (vector.getNullCount() == 0 && endToEndWellFormed(data, offsets, width, n)) {
      return;
    }
    for (long i = 0; i < n; i++) {
      if (vector.isNull((int) i)) {
        continue;
      }
      long start = read(offsets, width, i);
      long end = read(offsets, width, i + 1);
      if (!Utf8.isWellFormed(data.memoryAddress() + start, end - start)) {
        throw new IllegalArgumentException("string " + i + " is not valid UTF-8");
      }
    }
  }

  /**
   * Without nulls the strings lie end to end: one pass over all of them, and then each must start a
   * character. False when any string is broken (the caller then finds which).
   */
  private static boolean endToEndWellFormed(ArrowBuf data, ArrowBuf offsets, int width, long n) {
    long first = read(offsets, width, 0);
    long last = read(offsets, width, n);
    int kind = Utf8.classify(data.memoryAddress() + first, last - first);
    if (kind != Utf8.NON_ASCII) {
      return kind == Utf8.ASCII; // every ASCII byte starts a character
    }
    for (long i = 1; i < n; i++) {
      long start = read(offsets, width, i);
      if (start < last && Utf8.isContinuation(data.getByte(start))) {
        return false;
      }
    }
    return true;
  }

  private static void atLeast(ArrowBuf buffer, long bytes, long n, String what) {
    if (buffer.capacity() < bytes) {
      throw new IllegalArgumentException(n + " values, but the " + what + " buffer holds " + buffer.capacity()
          + " bytes");
    }
  }

  /**
   * Offset or size {@code index} of a buffer of {@code width}-byte values, read from plain memory: every
   * caller has checked first that the buffer holds it ({@link #atLeast}). A bounds-checked read of each was
   * a quarter of reading a 2M-row file of strings.
   */
  private static long read(ArrowBuf buffer, int width, long index) {
    long address = buffer.memoryAddress() + index * width;
    return width == 4 ? MemoryUtil.getInt(address) : MemoryUtil.getLong(address);
  }

  private static void offsets(ArrowBuf offsets, int width, long n, long children) {
    if (n == 0) {
      return;
    }
    atLeast(offsets, (n + 1) * width, n, "offset");
    long previous = read(offsets, width, 0);
    if (previous < 0) {
      throw new IllegalArgumentException("the first offset is negative (" + previous + ")");
    }
    for (long i = 1; i <= n; i++) {
      long offset = read(offsets, width, i);
      if (offset < previous) {
        throw new IllegalArgumentException("offset " + i + " (" + offset + ") is less than the one before it");
      }
      previous = offset;
    }
    if (previous > children) {
      throw new IllegalArgumentException("offsets reach " + previous + ", past the " + children + " child values");
    }
  }

  private static void listViews(ArrowBuf offsets, ArrowBuf sizes, int width, long n, long children) {
    atLeast(offsets, n * width, n, "offset");
    atLeast(sizes, n * width, n, "size");
    for (long i = 0; i < n; i++) {
      long offset = read(offsets, width, i);
      long size = read(sizes, width, i);
      if (offset < 0 || size < 0 || offset > children - size) {
        throw new IllegalArgumentException("list view " + i + " (" + size + " values at " + offset
            + ") lies outside the " + children + " child values");
      }
    }
  }

  /** Each string or binary view: inline, or inside the data buffer it names. */
  private static void views(BaseVariableWidthViewVector vector) {
    long n = vector.getValueCount();
    ArrowBuf views = vector.getDataBuffer();
    atLeast(views, n * 16, n, "view");
    atLeast(vector.getValidityBuffer(), (n + 7) / 8, n, "validity");
    List<ArrowBuf> data = vector.getDataBuffers();
    for (int i = 0; i < n; i++) {
      if (vector.isNull(i)) {
        continue;
      }
      int length = views.getInt(i * 16L);
      if (length < 0) {
        throw new IllegalArgumentException("view " + i + " has a negative length");
      }
      if (length > 12) {
        int buffer = views.getInt(i * 16L + 8);
        int offset = views.getInt(i * 16L + 12);
        if (buffer < 0 || buffer >= data.size() || offset < 0 || offset > data.get(buffer).capacity() - length) {
          throw new IllegalArgumentException("view " + i + " (" + length + " bytes at " + offset + " in buffer "
              + buffer + ") lies outside the " + data.size() + " data buffers");
        }
      }
    }
  }

  /** Run ends positive, increasing, covering the length, one per value. */
  private static void runEnds(RunEndEncodedVector vector) {
    List<FieldVector> children = vector.getChildrenFromFields();
    FieldVector ends = children.get(0);
    FieldVector values = children.get(1);
    check(ends);
    check(values);
    if (ends.getValueCount() != values.getValueCount()) {
      throw new IllegalArgumentException(ends.getValueCount() + " run ends for " + values.getValueCount() + " values");
    }
    long previous = 0;
    for (int i = 0; i < ends.getValueCount(); i++) {
      if (ends.isNull(i)) {
        throw new IllegalArgumentException("run end " + i + " is null");
      }
      long end = ((Number) ends.getObject(i)).longValue();
      if (end <= previous) {
        throw new IllegalArgumentException("run end " + i + " (" + end + ") does not increase");
      }
      previous = end;
    }
    if (vector.getValueCount() > previous) {
      throw new IllegalArgumentException("runs end at " + previous + ", short of " + vector.getValueCount() + " values");
    }
  }
}
