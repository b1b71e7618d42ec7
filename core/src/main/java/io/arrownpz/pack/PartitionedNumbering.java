package io.arrownpz.pack;

import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Numbers the groups of many runs of a {@link LongKeyTable} key on every core, with the result of one table
 * fed the runs in turn ({@link RunGroups#numberedInTurn}). One table of millions of groups costs a cache
 * miss a run on shuffled input, on one thread. Here the runs' keys are split by the top bits of their hash
 * into partitions that share no key (keys copied along, so that a partition's pass reads only its own
 * arrays); each partition is numbered by a table of its own, small enough to stay in the core's cache,
 * partitions on all cores; then a group's number is the rank of its first run among all groups' first
 * runs, which is the order of first appearance.
 */
final class PartitionedNumbering {
  /** Below this many runs one table is as fast: the passes here cost more than the misses they save. */
  static final int MIN_RUNS = 1 << 17;
  /** Runs per partition aimed at: a table of that many groups fits a 512 KiB cache. */
  private static final int RUNS_PER_PARTITION = 1 << 14;
  private static final int MAX_PARTITION_BITS = 8;

  private PartitionedNumbering() {}

  static boolean suits(List<FieldVector> keyColumns, int runs) {
    return runs >= MIN_RUNS && LongKeyTable.fits(keyColumns);
  }

  static RunGroups number(List<FieldVector> keyColumns, int[] runStarts, int runs) {
    FixedWidthKeys keys = new FixedWidthKeys((BaseFixedWidthVector) keyColumns.get(0));
    int bits = partitionBits(runs);
    int partitions = 1 << bits;
    int chunks = Parallel.chunks(runs, MIN_RUNS);
    byte[] partitionOf = new byte[runs];
    int[][] counts = new int[chunks][partitions];
    Parallel.forEach(chunks, c -> {
      int[] count = counts[c];
      for (int r = Parallel.chunkStart(c, chunks, runs), end = Parallel.chunkStart(c + 1, chunks, runs); r < end; r++) {
        int p = partition(keys.at(runStarts[r]), bits);
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
    long[] keyAt = new long[runs];
    int[] runAt = new int[runs];
    Parallel.forEach(chunks, c -> {
      int[] cursor = cursors[c];
      for (int r = Parallel.chunkStart(c, chunks, runs), end = Parallel.chunkStart(c + 1, chunks, runs); r < end; r++) {
        int at = cursor[partitionOf[r] & 0xFF]++;
        keyAt[at] = keys.at(runStarts[r]);
        runAt[at] = r;
      }
    });
    // Each partition numbered on its own; what was its key array takes each run's group in the partition.
    long[] localAt = keyAt;
    int[][] firstRuns = new int[partitions][];
    Parallel.forEach(partitions, p -> {
      LongKeyGroups table = new LongKeyGroups(partitionStarts[p + 1] - partitionStarts[p]);
      for (int i = partitionStarts[p]; i < partitionStarts[p + 1]; i++) {
        localAt[i] = table.groupOf(keyAt[i], runAt[i]);
      }
      firstRuns[p] = table.firsts();
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

  private static int partition(long key, int bits) {
    return (int) (ColumnRows.mix(key) >>> (64 - bits));
  }

  private static int partitionBits(int runs) {
    int bits = 1;
    while (bits < MAX_PARTITION_BITS && (long) runs >> bits > RUNS_PER_PARTITION) {
      bits++;
    }
    return bits;
  }
}
