package io.arrownpz.pack;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.algorithm.sort.DefaultVectorComparators;
import org.apache.arrow.algorithm.sort.VectorValueComparator;
import org.apache.arrow.vector.FieldVector;

/**
 * Works out the groups of a table in O(n). Input that is already grouped (each key's rows adjacent) is
 * recognised from its runs, hashing one row per run, and keeps input order; anything else is grouped
 * by hashing every run and laid out by a counting sort ({@link GroupLayout}), which keeps events in input
 * order inside a group. Many runs are numbered by hash partition on all cores ({@link PartitionedNumbering}),
 * fewer by one table in turn; both number groups by first appearance.
 */
final class Grouper {
  private Grouper() {}

  static Grouping group(List<FieldVector> keyColumns, int rowCount, FieldVector orderBy, PackOptions options) {
    RowKeys keys = new RowKeys(keyColumns);
    int[] runStarts = runStarts(keys, rowCount);
    int runs = runStarts.length - 1;
    RunGroups numbered = PartitionedNumbering.suits(runs)
        ? PartitionedNumbering.number(keyColumns, runStarts, runs)
        : RunGroups.numberedInTurn(GroupNumbers.forKeys(keyColumns, keys, runs), runStarts, runs);
    Grouping grouping = numbered.eachRunItsOwnGroup()
        ? new Grouping(runs, Arrays.copyOf(runStarts, runs), runStarts, null)
        : GroupLayout.of(numbered, runStarts);
    if (options.dropNullKeys()) {
      grouping = dropNullKeys(grouping, keys);
    }
    if (options.sortGroups()) {
      grouping = sortGroups(grouping, keyColumns);
    }
    if (orderBy != null) {
      grouping = orderEvents(grouping, orderBy);
    }
    return grouping;
  }

  /** Where each run of equal adjacent keys starts, plus rowCount at the end. */
  private static int[] runStarts(RowKeys keys, int rowCount) {
    int[] starts = new int[Math.min(rowCount, 1 << 16) + 1];
    int runs = 0;
    for (int row = 0; row < rowCount; row++) {
      if (row == 0 || !keys.same(row - 1, row)) {
        if (runs + 1 >= starts.length) {
          starts = Arrays.copyOf(starts, (int) Math.min((long) starts.length * 2, (long) rowCount + 1));
        }
        starts[runs++] = row;
      }
    }
    starts = Arrays.copyOf(starts, runs + 1);
    starts[runs] = rowCount;
    return starts;
  }

  private static Grouping dropNullKeys(Grouping grouping, RowKeys keys) {
    int[] kept = new int[grouping.groups()];
    int count = 0;
    for (int g = 0; g < grouping.groups(); g++) {
      if (!keys.anyNull(grouping.firstRows()[g])) {
        kept[count++] = g;
      }
    }
    return count == grouping.groups() ? grouping : select(grouping, Arrays.copyOf(kept, count));
  }

  private static Grouping sortGroups(Grouping grouping, List<FieldVector> keyColumns) {
    IntSort.RowOrder byKey = rowOrder(keyColumns);
    int[] first = grouping.firstRows();
    int[] order = new int[grouping.groups()];
    Arrays.setAll(order, g -> g);
    IntSort.RowOrder groupOrder = (a, b) -> byKey.compare(first[a], first[b]);
    if (IntSort.isSorted(order, 0, order.length, groupOrder)) {
      return grouping;
    }
    IntSort.sort(order, 0, order.length, groupOrder, null);
    return select(grouping, order);
  }

  /** The given groups, in the given order. */
  private static Grouping select(Grouping grouping, int[] groups) {
    int[] offsets = new int[groups.length + 1];
    int[] first = new int[groups.length];
    for (int i = 0; i < groups.length; i++) {
      int g = groups[i];
      first[i] = grouping.firstRows()[g];
      offsets[i + 1] = offsets[i] + grouping.offsets()[g + 1] - grouping.offsets()[g];
    }
    int[] rows = new int[offsets[groups.length]];
    for (int i = 0; i < groups.length; i++) {
      int g = groups[i];
      for (int p = grouping.offsets()[g], at = offsets[i]; p < grouping.offsets()[g + 1]; p++) {
        rows[at++] = grouping.row(p);
      }
    }
    return new Grouping(groups.length, first, offsets, rows);
  }

  /** Stable sort of each group's events; groups already in order are left alone (no copy at all if all are). */
  private static Grouping orderEvents(Grouping grouping, FieldVector orderBy) {
    IntSort.RowOrder order = rowOrder(List.of(orderBy));
    int[] offsets = grouping.offsets();
    int[] rows = grouping.rows();
    int[] scratch = null;
    for (int g = 0; g < grouping.groups(); g++) {
      int from = offsets[g];
      int to = offsets[g + 1];
      if (rows == null) {
        if (isSortedRange(from, to, order)) {
          continue;
        }
        rows = new int[grouping.size()];
        Arrays.setAll(rows, i -> i);
      } else if (IntSort.isSorted(rows, from, to, order)) {
        continue;
      }
      scratch = IntSort.sort(rows, from, to, order, scratch);
    }
    if (rows == grouping.rows()) {
      return grouping;
    }
    int[] first = new int[grouping.groups()];
    for (int g = 0; g < first.length; g++) {
      first[g] = offsets[g] < offsets[g + 1] ? rows[offsets[g]] : grouping.firstRows()[g];
    }
    return new Grouping(grouping.groups(), first, offsets, rows);
  }

  private static boolean isSortedRange(int from, int to, IntSort.RowOrder order) {
    for (int row = from + 1; row < to; row++) {
      if (order.compare(row - 1, row) > 0) {
        return false;
      }
    }
    return true;
  }

  /** Rows compared by the columns in turn, as Arrow's default comparators do (nulls first). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static IntSort.RowOrder rowOrder(List<FieldVector> columns) {
    VectorValueComparator[] comparators = new VectorValueComparator[columns.size()];
    for (int c = 0; c < comparators.length; c++) {
      comparators[c] = DefaultVectorComparators.createDefaultComparator(columns.get(c));
      comparators[c].attachVector(columns.get(c));
    }
    if (comparators.length == 1) {
      VectorValueComparator only = comparators[0];
      return only::compare;
    }
    return (a, b) -> {
      for (VectorValueComparator comparator : comparators) {
        int c = comparator.compare(a, b);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }
}
