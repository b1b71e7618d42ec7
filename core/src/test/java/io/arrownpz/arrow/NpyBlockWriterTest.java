package io.arrownpz.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.npy.NpyDtype;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fortran-order blocks are the columns' values one column after another, whether the columns lie one after
 * another in memory (written as one run), apart, out of order, or hold nulls (written as NaN).
 */
class NpyBlockWriterTest {
  private final BufferAllocator allocator = new RootAllocator();
  private final List<FieldVector> vectors = new ArrayList<>();

  @AfterEach
  void close() {
    vectors.forEach(FieldVector::close);
    assertEquals(0, allocator.getAllocatedMemory(), "every buffer given back");
    allocator.close();
  }

  private static double value(int column, int row) {
    return column * 1000.0 + row + 0.25;
  }

  /** Column {@code c} of {@code rows}, a view of {@code shared} at {@code slot} (its place in that buffer). */
  private Float8Vector sliceColumn(ArrowBuf shared, int slot, int c, int rows) {
    ArrowBuf data = shared.slice((long) slot * rows * 8, (long) rows * 8);
    for (int r = 0; r < rows; r++) {
      data.setDouble(r * 8L, value(c, r));
    }
    Float8Vector v = new Float8Vector("c" + c, allocator);
    try (ArrowBuf validity = allocator.buffer((rows + 7) / 8)) {
      validity.setOne(0, (rows + 7) / 8);
      v.loadFieldBuffers(new ArrowFieldNode(rows, 0), List.of(validity, data));
    }
    vectors.add(v);
    return v;
  }

  private Float8Vector ownColumn(int c, int rows, boolean withNull) {
    Float8Vector v = new Float8Vector("c" + c, allocator);
    v.allocateNew(rows);
    for (int r = 0; r < rows; r++) {
      if (withNull && r == 1) {
        v.setNull(r);
      } else {
        v.set(r, value(c, r));
      }
    }
    v.setValueCount(rows);
    vectors.add(v);
    return v;
  }

  private static ByteBuffer written(List<FieldVector> block) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    NpyBlockWriter writer = NpyBlockWriter.of(block, NpyDtype.parse("<f8"), true);
    writer.writeTo(Channels.newChannel(bytes));
    ByteBuffer all = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(writer.totalBytes(), all.remaining());
    return all.position(writer.header().length);
  }

  private static void assertColumns(ByteBuffer data, int[] columns, int rows, int nullColumn) {
    for (int c : columns) {
      for (int r = 0; r < rows; r++) {
        double expected = c == nullColumn && r == 1 ? Double.NaN : value(c, r);
        assertEquals(expected, data.getDouble(), "column " + c + ", row " + r);
      }
    }
    assertEquals(0, data.remaining());
  }

  @Test
  void columnsLyingOneAfterAnotherAreWrittenAsTheyLie() throws IOException {
    for (int rows : new int[] {3, 100, 20_000}) { // runs under and over what is gathered, columns over it
      int n = 12;
      try (ArrowBuf shared = allocator.buffer((long) n * rows * 8)) {
        List<FieldVector> block = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          block.add(sliceColumn(shared, c, c, rows));
        }
        assertColumns(written(block), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, rows, -1);
      }
      vectors.forEach(FieldVector::close);
      vectors.clear();
    }
  }

  @Test
  void runsBrokenByOrderOwnBuffersAndNullsKeepEachColumnInItsPlace() throws IOException {
    int rows = 3000; // 24 KB a column: two adjacent ones gathered, three written straight
    try (ArrowBuf shared = allocator.buffer(8L * rows * 8)) {
      List<FieldVector> block = new ArrayList<>();
      // slots 0,1,2 in order, then 5,4 (out of order), then a column of its own, one with a null, slots 6,7
      int[][] slotOf = {{0, 0}, {1, 1}, {2, 2}, {5, 3}, {4, 4}};
      for (int[] s : slotOf) {
        block.add(sliceColumn(shared, s[0], s[1], rows));
      }
      block.add(ownColumn(5, rows, false));
      block.add(ownColumn(6, rows, true));
      block.add(sliceColumn(shared, 6, 7, rows));
      block.add(sliceColumn(shared, 7, 8, rows));
      assertColumns(written(block), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, rows, 6);
    }
  }

  @Test
  void aBlockOfNoRowsIsItsHeader() throws IOException {
    List<FieldVector> block = List.of(ownColumn(0, 0, false), ownColumn(1, 0, false));
    assertEquals(0, written(block).remaining());
  }
}
