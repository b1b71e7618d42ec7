package io.arrownpz.pack;

/** Numbers the groups of a table's rows by key, in the order their first rows are offered. */
interface GroupNumbers {
  /** The group of {@code row}, making a new one when its key is new. */
  int groupOf(int row);

  int groups();

  /** Each group's first row, by group number. */
  int[] firstRows();

  /**
   * The table for these key columns: one made for a single fixed-width key of at most 8 bytes without
   * nulls (an id, a timestamp), which holds the keys themselves, else the general one.
   */
  static GroupNumbers forKeys(java.util.List<org.apache.arrow.vector.FieldVector> keyColumns, RowKeys keys,
      int expectedGroups) {
    if (LongKeyTable.fits(keyColumns)) {
      return new LongKeyTable((org.apache.arrow.vector.BaseFixedWidthVector) keyColumns.get(0), expectedGroups);
    }
    return new GroupTable(keys, expectedGroups);
  }
}
