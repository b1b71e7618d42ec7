package io.arrownpz.pack;

import java.util.Arrays;

/** The first row of each group, by group number: groups are numbered as their first rows are added. */
final class FirstRows {
  private int[] rows;
  private int count;

  FirstRows(int expectedGroups) {
    rows = new int[Math.max(16, expectedGroups)];
  }

  /** Starts a new group at {@code row}; returns its number. */
  int add(int row) {
    if (count == rows.length) {
      rows = Arrays.copyOf(rows, count * 2);
    }
    rows[count] = row;
    return count++;
  }

  int get(int group) {
    return rows[group];
  }

  int count() {
    return count;
  }

  int[] toArray() {
    return Arrays.copyOf(rows, count);
  }
}
