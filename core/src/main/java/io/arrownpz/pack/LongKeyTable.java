package io.arrownpz.pack;

import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Group numbers for one fixed-width key column of at most 8 bytes without nulls, the usual packing key.
 * Each slot holds the key and its group side by side, so a lookup in a shuffled table of millions of
 * groups costs one cache miss, where {@link GroupTable} (any keys, found through a group's first row)
 * costs three or four. The table starts small and doubles: input of single-row runs says nothing about
 * how many groups there are.
 */
final class LongKeyTable implements GroupNumbers {
  private final long data;
  private final int width;
  /** Pairs: the key, then its group number plus one (0: an empty slot). */
  private long[] slots;
  private int mask;
  private final FirstRows firstRows;

  static boolean fits(List<FieldVector> keyColumns) {
    if (keyColumns.size() != 1 || !(keyColumns.get(0) instanceof BaseFixedWidthVector v) || v instanceof BitVector) {
      return false;
    }
    int width = v.getTypeWidth();
    return (width == 1 || width == 2 || width == 4 || width == 8) && v.getNullCount() == 0;
  }

  LongKeyTable(BaseFixedWidthVector keys, int expectedGroups) {
    this.data = keys.getDataBuffer().memoryAddress();
    this.width = keys.getTypeWidth();
    int capacity = Integer.highestOneBit(Math.min(Math.max(16, expectedGroups), INITIAL_SLOTS) * 2 - 1) << 1;
    slots = new long[2 * capacity];
    mask = capacity - 1;
    firstRows = new FirstRows(Math.min(expectedGroups, INITIAL_SLOTS));
  }

  private long key(int row) {
    long at = data + (long) row * width;
    return switch (width) {
      case 1 -> MemoryUtil.getByte(at);
      case 2 -> MemoryUtil.getShort(at);
      case 4 -> MemoryUtil.getInt(at);
      default -> MemoryUtil.getLong(at);
    };
  }

  @Override
  public int groupOf(int row) {
    long key = key(row);
    int slot = (int) ColumnRows.mix(key) & mask;
    while (true) {
      long group = slots[2 * slot + 1];
      if (group == 0) {
        return add(row, key, slot);
      }
      if (slots[2 * slot] == key) {
        return (int) group - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int add(int row, long key, int slot) {
    int group = firstRows.add(row);
    slots[2 * slot] = key;
    slots[2 * slot + 1] = group + 1L;
    if (firstRows.count() * 2 > mask + 1) {
      grow();
    }
    return group;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    mask = old.length - 1; // old.length / 2 pairs, doubled
    for (int i = 0; i < old.length; i += 2) {
      if (old[i + 1] != 0) {
        int slot = (int) ColumnRows.mix(old[i]) & mask;
        while (slots[2 * slot + 1] != 0) {
          slot = (slot + 1) & mask;
        }
        slots[2 * slot] = old[i];
        slots[2 * slot + 1] = old[i + 1];
      }
    }
  }

  @Override
  public int groups() {
    return firstRows.count();
  }

  @Override
  public int[] firstRows() {
    return firstRows.toArray();
  }
}
