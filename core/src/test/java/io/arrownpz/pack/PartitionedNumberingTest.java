package io.arrownpz.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Numbering runs by partition gives exactly what one table fed the runs in turn gives (each run's group,
 * the number of groups, each group's first row), for keys of every width, runs of several rows, few groups
 * (most partitions empty) and many, shuffled and already grouped, and the layout on several threads keeps
 * rows in input order inside their groups.
 */
class PartitionedNumberingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @ParameterizedTest
  @CsvSource({"1, 3", "1, 100", "2, 3", "2, 30000", "4, 7", "4, 250000", "8, 2", "8, 90000", "8, 400000"})
  void sameNumbersAsOneTable(int width, int groups) {
    Random random = new Random(width * 31L + groups);
    int runs = PartitionedNumbering.MIN_RUNS + 50_000;
    int[] runStarts = new int[runs + 1];
    long[] runKeys = new long[runs];
    for (int r = 0; r < runs; r++) {
      runStarts[r + 1] = runStarts[r] + 1 + random.nextInt(3);
      long key;
      do {
        key = random.nextInt(groups) * 0x9E3779B1L - 5;
      } while (r > 0 && narrow(key, width) == narrow(runKeys[r - 1], width));
      runKeys[r] = key;
    }
    try (BaseFixedWidthVector column = column(width, runStarts, runKeys)) {
      List<FieldVector> keys = List.of(column);
      RunGroups partitioned = PartitionedNumbering.number(keys, runStarts, runs);
      RunGroups inTurn = RunGroups.numberedInTurn(GroupNumbers.forKeys(keys, new RowKeys(keys), runs), runStarts, runs);
      assertEquals(inTurn.groups(), partitioned.groups());
      assertArrayEquals(inTurn.firstRows(), partitioned.firstRows());
      assertArrayEquals(inTurn.ofRun(), partitioned.ofRun());
      assertLaidOutInInputOrder(GroupLayout.of(partitioned, runStarts), partitioned, runStarts);
    }
  }

  /** Keys that go with their hash: strings, a fixed-width key with nulls, and two columns together. */
  @ParameterizedTest
  @CsvSource({"strings, 3", "strings, 60000", "nullable, 5000", "two, 40000"})
  void otherKeysGetTheSameNumbersAsOneTableToo(String kind, int groups) {
    Random random = new Random(kind.hashCode() * 31L + groups);
    int runs = PartitionedNumbering.MIN_RUNS + 30_000;
    int rows = runs * 2;
    try (VarCharVector text = new VarCharVector("s", memory.allocator());
        IntVector ints = new IntVector("i", memory.allocator())) {
      text.allocateNew(rows * 12L, rows);
      ints.allocateNew(rows);
      int[] runStarts = new int[runs + 1];
      int row = 0;
      int previous = -1;
      for (int r = 0; r < runs; r++) {
        runStarts[r] = row;
        int g;
        do {
          g = random.nextInt(groups);
        } while (g == previous);
        previous = g;
        for (int k = 0; k < 2; k++, row++) {
          text.setSafe(row, ("key-" + g % (kind.equals("two") ? 97 : groups)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          if (kind.equals("nullable") && g == 0) {
            ints.setNull(row);
          } else {
            ints.set(row, kind.equals("two") ? g / 97 : g);
          }
        }
      }
      runStarts[runs] = row;
      text.setValueCount(rows);
      ints.setValueCount(rows);
      List<FieldVector> keys = switch (kind) {
        case "strings" -> List.<FieldVector>of(text);
        case "nullable" -> List.<FieldVector>of(ints);
        default -> List.<FieldVector>of(text, ints);
      };
      RunGroups partitioned = PartitionedNumbering.number(keys, runStarts, runs);
      RunGroups inTurn = RunGroups.numberedInTurn(GroupNumbers.forKeys(keys, new RowKeys(keys), runs), runStarts, runs);
      assertEquals(inTurn.groups(), partitioned.groups());
      assertArrayEquals(inTurn.firstRows(), partitioned.firstRows());
      assertArrayEquals(inTurn.ofRun(), partitioned.ofRun());
    }
  }

  @Test
  void groupedInputIsRecognisedAsSuch() {
    int runs = PartitionedNumbering.MIN_RUNS * 2;
    int[] runStarts = new int[runs + 1];
    long[] runKeys = new long[runs];
    for (int r = 0; r < runs; r++) {
      runStarts[r + 1] = runStarts[r] + 2;
      runKeys[r] = r * 7L;
    }
    try (BaseFixedWidthVector column = column(8, runStarts, runKeys)) {
      RunGroups numbered = PartitionedNumbering.number(List.of(column), runStarts, runs);
      assertTrue(numbered.eachRunItsOwnGroup());
      assertEquals(runs, numbered.groups());
    }
  }

  private static void assertLaidOutInInputOrder(Grouping grouping, RunGroups numbered, int[] runStarts) {
    int[] groupOfRow = new int[runStarts[runStarts.length - 1]];
    for (int r = 0; r < numbered.ofRun().length; r++) {
      for (int row = runStarts[r]; row < runStarts[r + 1]; row++) {
        groupOfRow[row] = numbered.ofRun()[r];
      }
    }
    assertEquals(groupOfRow.length, grouping.size());
    for (int g = 0; g < grouping.groups(); g++) {
      assertEquals(numbered.firstRows()[g], grouping.row(grouping.offsets()[g]), "first row of group " + g);
      for (int p = grouping.offsets()[g]; p < grouping.offsets()[g + 1]; p++) {
        assertEquals(g, groupOfRow[grouping.row(p)], "row " + grouping.row(p) + " laid out in group " + g);
        if (p > grouping.offsets()[g]) {
          assertTrue(grouping.row(p - 1) < grouping.row(p), "input order inside group " + g);
        }
      }
    }
  }

  private static long narrow(long key, int width) {
    return switch (width) {
      case 1 -> (byte) key;
      case 2 -> (short) key;
      case 4 -> (int) key;
      default -> key;
    };
  }

  private BaseFixedWidthVector column(int width, int[] runStarts, long[] runKeys) {
    BaseFixedWidthVector v = switch (width) {
      case 1 -> new TinyIntVector("k", memory.allocator());
      case 2 -> new SmallIntVector("k", memory.allocator());
      case 4 -> new IntVector("k", memory.allocator());
      default -> new BigIntVector("k", memory.allocator());
    };
    int rows = runStarts[runStarts.length - 1];
    v.allocateNew(rows);
    for (int r = 0; r < runKeys.length; r++) {
      for (int row = runStarts[r]; row < runStarts[r + 1]; row++) {
        switch (width) {
          case 1 -> ((TinyIntVector) v).set(row, (byte) runKeys[r]);
          case 2 -> ((SmallIntVector) v).set(row, (short) runKeys[r]);
          case 4 -> ((IntVector) v).set(row, (int) runKeys[r]);
          default -> ((BigIntVector) v).set(row, runKeys[r]);
        }
      }
    }
    v.setValueCount(rows);
    return v;
  }
}
