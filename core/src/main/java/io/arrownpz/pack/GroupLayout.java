package io.arrownpz.pack;

/**
 * Lays numbered runs out group by group, by a counting sort: rows end up grouped, in input order inside
 * each group. On many runs the runs are split into a chunk a thread: each chunk counts its own rows of
 * each group, so that each knows where in a group its rows go (after those of earlier chunks) and
 * scatters them at once with the others.
 */
final class GroupLayout {
  /** Below this many runs a chunk is not worth a thread. */
  private static final int MIN_CHUNK = 1 << 17;

  private GroupLayout() {}

  static Grouping of(RunGroups numbered, int[] runStarts) {
    int[] ofRun = numbered.ofRun();
    int runs = ofRun.length;
    int groups = numbered.groups();
    int chunks = Parallel.chunks(runs, MIN_CHUNK);
    // next[c][g]: first counts of chunk c's rows in group g, then where its next such row goes.
    int[][] next = new int[chunks][groups];
    Parallel.forChunks(chunks, runs, (c, from, to) -> {
      int[] count = next[c];
      for (int r = from; r < to; r++) {
        count[ofRun[r]] += runStarts[r + 1] - runStarts[r];
      }
    });
    int[] offsets = new int[groups + 1];
    for (int g = 0, at = 0; g < groups; g++) {
      offsets[g] = at;
      for (int c = 0; c < chunks; c++) {
        int count = next[c][g];
        next[c][g] = at;
        at += count;
      }
      offsets[g + 1] = at;
    }
    int[] rows = new int[offsets[groups]];
    Parallel.forChunks(chunks, runs, (c, from, to) -> {
      int[] into = next[c];
      for (int r = from; r < to; r++) {
        int at = into[ofRun[r]];
        for (int row = runStarts[r]; row < runStarts[r + 1]; row++) {
          rows[at++] = row;
        }
        into[ofRun[r]] = at;
      }
    });
    return new Grouping(groups, numbered.firstRows(), offsets, rows);
  }
}
