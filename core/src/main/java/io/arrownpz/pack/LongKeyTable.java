package io.arrownpz.pack;

import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Group numbers for one fixed-width key column of at most 8 bytes without nulls, the usual packing key:
 * the keys themselves go into a {@link LongKeyGroups}, one cache miss a lookup, where {@link GroupTable}
 * (any keys, found through a group's first row) costs three or four.
 */
final class LongKeyTable implements GroupNumbers {
  private final FixedWidthKeys keys;
  private final LongKeyGroups groups;

  static boolean fits(List<FieldVector> keyColumns) {
    if (keyColumns.size() != 1 || !(keyColumns.get(0) instanceof BaseFixedWidthVector v) || v instanceof BitVector) {
      return false;
    }
    int width = v.getTypeWidth();
    return (width == 1 || width == 2 || width == 4 || width == 8) && v.getNullCount() == 0;
  }

  LongKeyTable(BaseFixedWidthVector keys, int expectedGroups) {
    this.keys = new FixedWidthKeys(keys);
    this.groups = new LongKeyGroups(expectedGroups);
  }

  @Override
  public int groupOf(int row) {
    return groups.groupOf(keys.at(row), row);
  }

  @Override
  public int groups() {
    return groups.groups();
  }

  @Override
  public int[] firstRows() {
    return groups.firsts();
  }
}
