package io.arrownpz.pack;

/**
 * The group of each run of equal adjacent keys, groups numbered in order of first appearance, and each
 * group's first row.
 */
record RunGroups(int[] ofRun, int groups, int[] firstRows) {
  /** Whether every run is a group of its own, in order: the input is already grouped. */
  boolean eachRunItsOwnGroup() {
    for (int r = 0; r < ofRun.length; r++) {
      if (ofRun[r] != r) {
        return false;
      }
    }
    return true;
  }

  /** The runs numbered one after the other by one table. */
  static RunGroups numberedInTurn(GroupNumbers table, int[] runStarts, int runs) {
    int[] ofRun = new int[runs];
    for (int r = 0; r < runs; r++) {
      ofRun[r] = table.groupOf(runStarts[r]);
    }
    return new RunGroups(ofRun, table.groups(), table.firstRows());
  }
}
