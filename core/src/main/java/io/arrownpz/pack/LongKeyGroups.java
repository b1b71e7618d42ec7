package io.arrownpz.pack;

/**
 * Open-addressing hash table from a 64-bit key to its group number, groups numbered in the order they
 * are first seen. Each slot holds the key and its group side by side, so that a lookup in a table of
 * millions of groups costs one cache miss. It starts small and doubles: a caller seldom knows how many
 * groups there will be.
 */
final class LongKeyGroups {
  /** Pairs: the key, then its group number plus one (0: an empty slot). */
  private long[] slots;
  private int mask;
  private final FirstRows firsts;

  LongKeyGroups(int expectedGroups) {
    int capacity = Integer.highestOneBit(Math.min(Math.max(16, expectedGroups), GroupNumbers.INITIAL_SLOTS) * 2 - 1) << 1;
    slots = new long[2 * capacity];
    mask = capacity - 1;
    firsts = new FirstRows(Math.min(expectedGroups, GroupNumbers.INITIAL_SLOTS));
  }

  /** The group of {@code key}; a new one, whose first is {@code first}, when the key is new. */
  int groupOf(long key, int first) {
    int slot = (int) ColumnRows.mix(key) & mask;
    while (true) {
      long group = slots[2 * slot + 1];
      if (group == 0) {
        return add(key, first, slot);
      }
      if (slots[2 * slot] == key) {
        return (int) group - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int add(long key, int first, int slot) {
    int group = firsts.add(first);
    slots[2 * slot] = key;
    slots[2 * slot + 1] = group + 1L;
    if (firsts.count() * 2 > mask + 1) {
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

  int groups() {
    return firsts.count();
  }

  /** What each group was first seen with, by group number. */
  int[] firsts() {
    return firsts.toArray();
  }
}
