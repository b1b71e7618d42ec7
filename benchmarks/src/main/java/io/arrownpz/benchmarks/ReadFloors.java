package io.arrownpz.benchmarks;

import io.arrownpz.internal.memory.Transpose;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * What a first read of a panel frame cannot go below in Java on this machine, whatever the reader does:
 * a plain copy of a block's 8 MB, its transposition from C to Fortran order (what a row-major block needs
 * to become columns), the same for the mixed frames' blocks (StaticFrame keeps their 80 eight-byte columns
 * as 40 C-order blocks of two, which an open must take apart, where pyarrow's open of a Feather file touches
 * no value), and Arrow Java's own cost of a table of N float64 columns over one buffer, made and closed (no
 * copy, no file). All in warm memory, medians of 41 after 300 warm-up rounds, one thread.
 * benchmarks/peers/floors.py adds what the file system costs (mapping and reading).
 *
 * <pre>java -cp benchmarks.jar io.arrownpz.benchmarks.ReadFloors</pre>
 */
public final class ReadFloors {
  private ReadFloors() {}

  private static final long BYTES = 8_000_000;
  private static final long[][] SHAPES = {{10_000, 100}, {1_000, 1_000}, {100, 10_000}};

  public static void main(String[] args) {
    long from = MemoryUtil.allocateMemory(BYTES);
    long to = MemoryUtil.allocateMemory(BYTES);
    try {
      MemoryUtil.setMemory(from, BYTES, (byte) 1);
      MemoryUtil.setMemory(to, BYTES, (byte) 2);
      System.out.printf("plain copy of 8 MB: %.3f ms%n", median(() -> MemoryUtil.copyMemory(from, to, BYTES)));
      for (long[] s : SHAPES) {
        System.out.printf("transposition of %d x %d float64 (8 MB): %.3f ms%n", s[0], s[1],
            median(() -> Transpose.cToFortran(from, s[0], s[1], 8, to)));
      }
      for (long[] s : SHAPES) {
        long rows = s[0];
        long blocks = s[1] * 80 / 100 / 2; // 80 of every 100 columns, in blocks of two
        System.out.printf("transposition of %d blocks of %d x 2 eight-byte values (%.1f MB, a mixed frame's): "
            + "%.3f ms%n", blocks, rows, blocks * rows * 16 / 1e6, median(() -> {
              for (long b = 0; b < blocks; b++) {
                Transpose.cToFortran(from + b * rows * 16, rows, 2, 8, to + b * rows * 16);
              }
            }));
      }
    } finally {
      MemoryUtil.freeMemory(from);
      MemoryUtil.freeMemory(to);
    }
    try (BufferAllocator allocator = new RootAllocator()) {
      for (long[] s : SHAPES) { // every shape once first: the first measured alone ran partly interpreted
        tableFloor(allocator, (int) s[1], (int) s[0]);
      }
      for (long[] s : SHAPES) {
        System.out.printf("Arrow Java table of %d float64 columns of %d rows over one buffer, made and closed: "
            + "%.3f ms%n", s[1], s[0], tableFloor(allocator, (int) s[1], (int) s[0]));
      }
    }
  }

  private static double median(Runnable action) {
    for (int i = 0; i < 300; i++) {
      action.run();
    }
    double[] t = new double[41];
    for (int i = 0; i < t.length; i++) {
      long start = System.nanoTime();
      action.run();
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }

  private static double tableFloor(BufferAllocator allocator, int cols, int rows) {
    FieldType type = FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < cols; c++) {
      fields.add(new Field("c" + c, type, null));
    }
    try (ArrowBuf data = allocator.buffer((long) cols * rows * 8);
         ArrowBuf valid = allocator.buffer((rows + 7) / 8)) {
      valid.setOne(0, (rows + 7) / 8);
      return median(() -> {
        List<FieldVector> vectors = new ArrayList<>(cols);
        for (int c = 0; c < cols; c++) {
          Float8Vector v = new Float8Vector(fields.get(c), allocator);
          try (ArrowBuf slice = data.slice((long) c * rows * 8, (long) rows * 8)) {
            slice.getReferenceManager().retain();
            v.loadFieldBuffers(new ArrowFieldNode(rows, 0), List.of(valid, slice));
          }
          vectors.add(v);
        }
        new VectorSchemaRoot(fields, vectors, rows).close();
      });
    }
  }
}
