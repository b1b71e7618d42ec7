package io.arrownpz.pack;

import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Numbers the groups of many runs on every core, with the result of one table fed the runs in turn
 * ({@link RunGroups#numberedInTurn}). One table of millions of groups costs a cache miss or more a run on
 * shuffled input, on one thread. Here runs are split by the top bits of their key's hash into partitions
 * that share no key, each partition numbered by a table of its own, small enough to stay in the core's
 * cache, partitions on all cores; then a group's number is the rank of its first run among all groups'
 * first runs, which is the order of first appearance. A single fixed-width key ({@link LongKeyTable}'s) is
 * copied along with its run, so that a partition's pass reads only its own arrays; other keys (strings,
 * several columns, nulls) go with their hash and are compared through their rows ({@link GroupTable}).
 */
final class PartitionedNumbering {
  /** Below this many runs one table is as fast: the passes here cost more than the misses they save. */
  static final int MIN_RUNS = 1 << 17;
  /** Runs per partition aimed at: a table of that many groups fits a 512 KiB cache. */
  private static final int RUNS_PER_PARTITION = 1 << 14;
  private static final int MAX_PARTITION_BITS = 8;

  private PartitionedNumbering() {}

  static boolean suits(int runs) {
    return runs >= MIN_RUNS;
  }

  static RunGroups number(List<FieldVector> keyColumns, int[] runStarts, int runs) {
    // What goes along with each run: the key itself where it is one fixed-width value, else its hash.
    FixedWidthKeys fixed = LongKeyTable.fits(keyColumns)
        ? new FixedWidthKeys((BaseFixedWidthVector) keyColumns.get(0)) : null;
    int bits = partitionBits(runs);
    int partitions = 1 << bits;
    int chunks = Parallel.chunks(runs, MIN_RUNS);
    byte[] partitionOf = new byte[runs];
    int[][] counts = new int[chunks][partitions];
    Parallel.forChunks(chunks, runs, (c, from, to) -> {
      RunValues values = new RunValues(fixed, keyColumns, runStarts); // a reader each: see RunValues
      int[] count = counts[c];
      for (int r = from; r < to; r++) {
        int p = partition(values.of(r), bits);
        partitionOf[r] = (byte) p;
        count[p]++;
      }
    });
    // Runs by partition, each partition's in run order: chunk c's runs of a partition follow chunk c-1's.
    int[] partitionStarts = new int[partitions + 1];
    int[][] cursors = new int[chunks][partitions];
    for (int p = 0, at = 0; p < partitions; p++) {
      partitionStarts[p] = at;
      for (int c = 0; c < chunks; c++) {
        cursors[c][p] = at;
        at += counts[c][p];
      }
    }
    partitionStarts[partitions] = runs;
    long[] valueAt = new long[runs];
    int[] runAt = new int[runs];
    Parallel.forChunks(chunks, runs, (c, from, to) -> {
      RunValues values = new RunValues(fixed, keyColumns, runStarts);
      int[] cursor = cursors[c];
      for (int r = from; r < to; r++) {
        int at = cursor[partitionOf[r] & 0xFF]++;
        valueAt[at] = values.of(r);
        runAt[at] = r;
      }
    });
    // Each partition numbered on its own; what was its value array takes each run's group in the partition.
    long[] localAt = valueAt;
    int[][] firstRuns = new int[partitions][];
    Parallel.forEach(partitions, p -> {
      int from = partitionStarts[p];
      int to = partitionStarts[p + 1];
      if (fixed != null) {
        LongKeyGroups table = new LongKeyGroups(to - from);
        for (int i = from; i < to; i++) {
          localAt[i] = table.groupOf(valueAt[i], runAt[i]);
        }
        firstRuns[p] = table.firsts();
      } else {
        GroupTable table = new GroupTable(new RowKeys(keyColumns), to - from);
        FirstRows firsts = new FirstRows(Math.min(to - from, GroupNumbers.INITIAL_SLOTS));
        for (int i = from; i < to; i++) {
          int groups = table.groups();
          localAt[i] = table.groupOf(runStarts[runAt[i]], (int) valueAt[i]);
          if (table.groups() > groups) {
            firsts.add(runAt[i]);
          }
        }
        firstRuns[p] = firsts.toArray();
      }
    });
    FirstRunRanks ranks = new FirstRunRanks(runs, firstRuns);
    int[] ofRun = new int[runs];
    int[] firstRows = new int[ranks.groups()];
    Parallel.forEach(partitions, p -> {
      int[] globalOf = new int[firstRuns[p].length];
      for (int g = 0; g < globalOf.length; g++) {
        globalOf[g] = ranks.rank(firstRuns[p][g]);
        firstRows[globalOf[g]] = runStarts[firstRuns[p][g]];
      }
      for (int i = partitionStarts[p]; i < partitionStarts[p + 1]; i++) {
        ofRun[runAt[i]] = globalOf[(int) localAt[i]];
      }
    });
    return new RunGroups(ofRun, ranks.groups(), firstRows);
  }

  /** The rank of each group's first run among all of them: a bit per run, and counts of bits by word. */
  private static final class FirstRunRanks {
    private final long[] bits;
    private final int[] before;

    FirstRunRanks(int runs, int[][] firstRuns) {
      bits = new long[(runs + 63) >>> 6];
      for (int[] partition : firstRuns) {
        for (int run : partition) {
          bits[run >>> 6] |= 1L << run;
        }
      }
      before = new int[bits.length + 1];
      for (int w = 0; w < bits.length; w++) {
        before[w + 1] = before[w] + Long.bitCount(bits[w]);
      }
    }

    int groups() {
      return before[bits.length];
    }

    /** How many first runs come before {@code run}. */
    int rank(int run) {
      return before[run >>> 6] + Long.bitCount(bits[run >>> 6] & ((1L << run) - 1));
    }
  }

  /** The top bits of the value's mix: the tables hash with the low bits of theirs, independent of these. */
  private static int partition(long value, int bits) {
    return (int) (ColumnRows.mix(value) >>> (64 - bits));
  }

  /**
   * What goes along with a run: its key (one fixed-width column) or its key's hash. General columns are read
   * through Arrow's stateful visitors, so each thread reads through one of its own.
   */
  private static final class RunValues {
    private final FixedWidthKeys fixed;
    private final RowKeys keys;
    private final int[] runStarts;

    RunValues(FixedWidthKeys fixed, List<FieldVector> keyColumns, int[] runStarts) {
      this.fixed = fixed;
      this.keys = fixed == null ? new RowKeys(keyColumns) : null;
      this.runStarts = runStarts;
    }

    long of(int run) {
      return fixed != null ? fixed.at(runStarts[run]) : keys.hash(runStarts[run]);
    }
  }

  private static int partitionBits(int runs) {
    int bits = 1;
    while (bits < MAX_PARTITION_BITS && (long) runs >> bits > RUNS_PER_PARTITION) {
      bits++;
    }
    return bits;
  }
}
