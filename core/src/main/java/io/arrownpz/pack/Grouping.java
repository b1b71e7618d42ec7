package io.arrownpz.pack;

/**
 * Which input rows make up each output group, in output order. Group {@code g} is made of the rows
 * {@code rows[offsets[g]] .. rows[offsets[g+1]-1]}; when {@code rows} is null those are simply the input
 * rows {@code offsets[g] .. offsets[g+1]-1}, every row is used in input order, and list columns can be
 * the input columns themselves.
 */
record Grouping(int groups, int[] firstRows, int[] offsets, int[] rows) {
  boolean inInputOrder() {
    return rows == null;
  }

  int size() {
    return offsets[groups];
  }

  int row(int position) {
    return rows == null ? position : rows[position];
  }
}
