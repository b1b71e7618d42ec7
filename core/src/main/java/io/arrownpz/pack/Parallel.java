package io.arrownpz.pack;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Loops split over the common pool's workers and the calling thread, for the grouping passes. */
final class Parallel {
  private Parallel() {}

  /** How many chunks to split {@code items} into: one a thread, none smaller than {@code minChunk}. */
  static int chunks(int items, int minChunk) {
    return Math.max(1, Math.min(ForkJoinPool.getCommonPoolParallelism() + 1, items / minChunk));
  }

  /** Where chunk {@code chunk} of {@code items} split into {@code chunks} starts ({@code chunks}: the end). */
  private static int chunkStart(int chunk, int chunks, int items) {
    return (int) ((long) items * chunk / chunks);
  }

  /** A loop over one chunk of items. */
  @FunctionalInterface
  interface ChunkTask {
    void run(int chunk, int from, int to);
  }

  /** Runs {@code task} over each of {@code chunks} even chunks of {@code items}, in parallel, and waits for all. */
  static void forChunks(int chunks, int items, ChunkTask task) {
    forEach(chunks, c -> task.run(c, chunkStart(c, chunks, items), chunkStart(c + 1, chunks, items)));
  }

  /** Runs {@code task} for 0 .. count-1, on the common pool and this thread, and waits for all. */
  static void forEach(int count, IntConsumer task) {
    IntStream.range(0, count).parallel().forEach(task);
  }
}
