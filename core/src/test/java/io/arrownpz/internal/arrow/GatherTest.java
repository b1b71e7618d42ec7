package io.arrownpz.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Gathering variable-width values gives what Arrow's own value-by-value copy gives, for values of every
 * length around the short-value path's 16 bytes, nulls, row -1, rows taken many times, values that end at
 * the very end of a buffer sized exactly (no room to read past them), and targets that must grow because
 * the taken values are longer than the source's mean.
 */
class GatherTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void stringsOfEveryLengthWithNullsAndMissingRowsAsArrowCopiesThem() {
    Random random = new Random(7);
    try (VarCharVector source = new VarCharVector("s", memory.allocator())) {
      for (int row = 0; row < 3000; row++) {
        if (row % 37 == 5) {
          source.setNull(row);
        } else {
          source.setSafe(row, text(row % 41, row));
        }
      }
      source.setValueCount(3000);
      int[] rows = new int[5000];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = i % 101 == 0 ? -1 : random.nextInt(3000);
      }
      assertTakenAsArrowTakes(source, rows);
    }
  }

  @Test
  void largeStringsAndBinariesToo() {
    try (LargeVarCharVector large = new LargeVarCharVector("l", memory.allocator());
        VarBinaryVector binary = new VarBinaryVector("b", memory.allocator())) {
      for (int row = 0; row < 2000; row++) {
        large.setSafe(row, text(row % 23, row));
        binary.setSafe(row, text(row % 19 * 3, row));
      }
      large.setValueCount(2000);
      binary.setValueCount(2000);
      int[] rows = new int[2500];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = (i * 7919) % 2000;
      }
      assertTakenAsArrowTakes(large, rows);
      assertTakenAsArrowTakes(binary, rows);
    }
  }

  @Test
  void valuesEndingAtTheEndOfAnExactlySizedBufferAreNotReadPast() {
    try (VarCharVector built = new VarCharVector("s", memory.allocator());
        VarCharVector exact = new VarCharVector("s", memory.allocator())) {
      for (int row = 0; row < 40; row++) {
        built.setSafe(row, text(row % 5, row));
      }
      built.setValueCount(40);
      int used = built.getOffsetBuffer().getInt(4L * 40);
      try (ArrowBuf data = built.getDataBuffer().slice(0, used)) {
        data.getReferenceManager().retain();
        exact.loadFieldBuffers(new ArrowFieldNode(40, 0),
            List.of(built.getValidityBuffer(), built.getOffsetBuffer(), data));
      }
      assertEquals(used, exact.getDataBuffer().capacity(), "the data buffer ends where the last value does");
      assertTakenAsArrowTakes(exact, new int[] {39, 38, 0, 39, 20, 39});
    }
  }

  @Test
  void targetGrowsWhenTheTakenValuesAreLongerThanTheSourcesMean() {
    try (VarCharVector source = new VarCharVector("s", memory.allocator())) {
      source.setSafe(0, new byte[0]);
      source.setSafe(1, text(1000, 1));
      source.setValueCount(2);
      int[] rows = new int[3000];
      java.util.Arrays.fill(rows, 1);
      rows[17] = 0;
      assertTakenAsArrowTakes(source, rows);
    }
  }

  @Test
  void aHugeValueAmongShortOnesDoesNotMakeTheTargetHuge() {
    try (VarCharVector source = new VarCharVector("s", memory.allocator())) {
      source.setSafe(0, text(8 << 20, 0));
      source.setSafe(1, text(3, 1));
      source.setValueCount(2);
      int[] rows = new int[100_000];
      java.util.Arrays.fill(rows, 1);
      rows[5] = 0;
      long before = memory.allocator().getAllocatedMemory();
      try (FieldVector taken = Gather.take(source, rows, rows.length, memory.allocator())) {
        assertEquals(8 << 20, ((VarCharVector) taken).get(5).length);
        long grown = memory.allocator().getAllocatedMemory() - before;
        assertTrue(grown < 64L << 20, "the target holds " + grown + " bytes for 8.3 MB of values");
      }
      assertTakenAsArrowTakes(source, java.util.Arrays.copyOf(rows, 2000));
    }
  }

  private void assertTakenAsArrowTakes(BaseVariableWidthVector source, int[] rows) {
    try (FieldVector ours = Gather.take(source, rows, rows.length, memory.allocator());
        FieldVector arrows = source.getField().createVector(memory.allocator())) {
      arrows.setInitialCapacity(rows.length);
      arrows.allocateNew();
      TransferPair pair = source.makeTransferPair(arrows);
      for (int i = 0; i < rows.length; i++) {
        if (rows[i] >= 0) {
          pair.copyValueSafe(rows[i], i);
        }
      }
      arrows.setValueCount(rows.length);
      assertEquals(rows.length, ours.getValueCount());
      for (int i = 0; i < rows.length; i++) {
        assertEquals(arrows.isNull(i), ours.isNull(i), "null at " + i);
        if (!arrows.isNull(i)) {
          assertEquals(text(arrows.getObject(i)), text(ours.getObject(i)), "value at " + i + " (row " + rows[i] + ")");
        }
      }
    }
  }

  private void assertTakenAsArrowTakes(org.apache.arrow.vector.BaseLargeVariableWidthVector source, int[] rows) {
    try (FieldVector ours = Gather.take(source, rows, rows.length, memory.allocator())) {
      for (int i = 0; i < rows.length; i++) {
        assertEquals(text(source.getObject(rows[i])), text(ours.getObject(i)), "value at " + i + " (row " + rows[i] + ")");
      }
    }
  }

  /** A value as text, binaries included (byte arrays compare by identity). */
  private static String text(Object value) {
    return value instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(value);
  }

  /** {@code length} bytes that differ from row to row. */
  private static byte[] text(int length, int row) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ('a' + (row + i) % 26);
    }
    return bytes;
  }
}
