package io.arrownpz.pack;

/**
 * Stable sorting of row numbers by a comparator, without boxing: insertion sort for the short runs
 * that groups of events usually are, merge sort above that.
 */
final class IntSort {
  interface RowOrder {
    int compare(int a, int b);
  }

  private static final int INSERTION_LIMIT = 24;

  private IntSort() {}

  static boolean isSorted(int[] rows, int from, int to, RowOrder order) {
    for (int i = from + 1; i < to; i++) {
      if (order.compare(rows[i - 1], rows[i]) > 0) {
        return false;
      }
    }
    return true;
  }

  /** Sorts {@code rows[from, to)}; {@code scratch} must be at least as long as {@code rows}, or null. */
  static int[] sort(int[] rows, int from, int to, RowOrder order, int[] scratch) {
    if (to - from <= INSERTION_LIMIT) {
      insertion(rows, from, to, order);
      return scratch;
    }
    if (scratch == null || scratch.length < rows.length) {
      scratch = new int[rows.length];
    }
    mergeSort(rows, scratch, from, to, order);
    return scratch;
  }

  private static void insertion(int[] rows, int from, int to, RowOrder order) {
    for (int i = from + 1; i < to; i++) {
      int row = rows[i];
      int j = i - 1;
      while (j >= from && order.compare(rows[j], row) > 0) {
        rows[j + 1] = rows[j];
        j--;
      }
      rows[j + 1] = row;
    }
  }

  private static void mergeSort(int[] rows, int[] scratch, int from, int to, RowOrder order) {
    if (to - from <= INSERTION_LIMIT) {
      insertion(rows, from, to, order);
      return;
    }
    int middle = (from + to) >>> 1;
    mergeSort(rows, scratch, from, middle, order);
    mergeSort(rows, scratch, middle, to, order);
    if (order.compare(rows[middle - 1], rows[middle]) <= 0) {
      return;
    }
    System.arraycopy(rows, from, scratch, from, to - from);
    int left = from;
    int right = middle;
    for (int out = from; out < to; out++) {
      if (right >= to || left < middle && order.compare(scratch[left], scratch[right]) <= 0) {
        rows[out] = scratch[left++];
      } else {
        rows[out] = scratch[right++];
      }
    }
  }
}
