package io.arrownpz.pack;

import java.util.Arrays;

/**
 * Open-addressing hash table from a row's key to its group number; groups are numbered in the order
 * their first row is offered. Holds only ints: the group's first row stands for its key.
 */
final class GroupTable implements GroupNumbers {
  private final RowKeys keys;
  private int[] slots;
  private int[] slotHashes;
  private int mask;
  private final FirstRows firstRows;

  GroupTable(RowKeys keys, int expectedGroups) {
    this.keys = keys;
    int capacity = Integer.highestOneBit(Math.min(Math.max(16, expectedGroups), INITIAL_SLOTS) * 2 - 1) << 1;
    slots = new int[capacity];
    slotHashes = new int[capacity];
    Arrays.fill(slots, -1);
    mask = capacity - 1;
    firstRows = new FirstRows(Math.min(expectedGroups, INITIAL_SLOTS));
  }

  @Override
  public int groups() {
    return firstRows.count();
  }

  @Override
  public int[] firstRows() {
    return firstRows.toArray();
  }

  @Override
  public int groupOf(int row) {
    return groupOf(row, (int) keys.hash(row));
  }

  /** As {@link #groupOf(int)}, the row's key hash ({@link RowKeys#hash}, cast to int) already known. */
  int groupOf(int row, int hash) {
    int slot = hash & mask;
    while (true) {
      int group = slots[slot];
      if (group < 0) {
        return add(row, hash, slot);
      }
      if (slotHashes[slot] == hash && keys.same(firstRows.get(group), row)) {
        return group;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int add(int row, int hash, int slot) {
    int group = firstRows.add(row);
    slots[slot] = group;
    slotHashes[slot] = hash;
    if (firstRows.count() * 2 > slots.length) {
      grow();
    }
    return group;
  }

  private void grow() {
    int[] oldSlots = slots;
    int[] oldHashes = slotHashes;
    slots = new int[oldSlots.length * 2];
    slotHashes = new int[slots.length];
    Arrays.fill(slots, -1);
    mask = slots.length - 1;
    for (int i = 0; i < oldSlots.length; i++) {
      if (oldSlots[i] >= 0) {
        int slot = oldHashes[i] & mask;
        while (slots[slot] >= 0) {
          slot = (slot + 1) & mask;
        }
        slots[slot] = oldSlots[i];
        slotHashes[slot] = oldHashes[i];
      }
    }
  }
}
