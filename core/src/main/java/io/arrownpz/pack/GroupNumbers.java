package io.arrownpz.pack;

import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;

/** Numbers the groups of a table's rows by key, in the order their first rows are offered. */
interface GroupNumbers {
  /** The group of {@code row}, making a new one when its key is new. */
  int groupOf(int row);

  int groups();

  /** Each group's first row, by group number. */
  int[] firstRows();

  /**
   * At most how many slots a table starts with: the caller's expectation is the number of runs of equal
   * keys, which on shuffled input is one per row, not one per group; tables grow as groups appear.
   */
  int INITIAL_SLOTS = 1 << 12;

  /**
   * The table for these key columns: one made for a single fixed-width key of at most 8 bytes without
   * nulls (an id, a timestamp), which holds the keys themselves, else the general one.
   */
  static GroupNumbers forKeys(List<FieldVector> keyColumns, RowKeys keys, int expectedGroups) {
    if (LongKeyTable.fits(keyColumns)) {
      return new LongKeyTable((BaseFixedWidthVector) keyColumns.get(0), expectedGroups);
    }
    return new GroupTable(keys, expectedGroups);
  }
}
