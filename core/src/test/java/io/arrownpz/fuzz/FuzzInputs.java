package io.arrownpz.fuzz;

import io.arrownpz.BadFileException;
import io.arrownpz.testing.ScratchDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * What every file-reading fuzz target checks of one input: only our documented exceptions escape, memory
 * stays within a bound proportional to the input, and nothing stays allocated afterwards.
 */
public final class FuzzInputs {
  /** How long one fuzzing round of a target lasts; {@code .ci/fuzz} runs as many rounds as asked. */
  public static final String ROUND = "20s";
  /** Inputs are a few KB: any that takes this long is a hang or a quadratic walk over a hostile length. */
  static final long MAX_NANOS_PER_INPUT = 5_000_000_000L;

  private FuzzInputs() {}

  /** The work done on one input file, with an allocator bounded for it. */
  @FunctionalInterface
  public interface Work {
    void run(Path file, BufferAllocator allocator) throws IOException;
  }

  private static final ThreadLocal<Path> DIRECTORY = ThreadLocal.withInitial(() -> {
    try {
      return ScratchDirectories.create("arrownpz-fuzz");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  });

  /**
   * Writes {@code data} as a file named {@code name}, runs {@code work} on it under an allocator limited to
   * {@code fixedBytes + perInputByte * data.length}, and fails on anything but a {@link BadFileException}
   * or a leak.
   */
  public static void check(byte[] data, String name, long fixedBytes, long perInputByte, Work work) throws IOException {
    Path file = DIRECTORY.get().resolve(name);
    Files.write(file, data);
    try (RootAllocator root = new RootAllocator()) {
      BufferAllocator bounded = root.newChildAllocator("fuzz", 0, fixedBytes + perInputByte * data.length);
      BadFileException refusal = null;
      long start = System.nanoTime();
      try {
        work.run(file, bounded);
      } catch (BadFileException documented) {
        refusal = documented;
        // the answer to a bad file: it names the file and the problem
        if (!documented.getMessage().startsWith(file.toString())) {
          throw new AssertionError("the error does not name the file: " + documented.getMessage(), documented);
        }
      }
      long took = System.nanoTime() - start;
      if (took > MAX_NANOS_PER_INPUT) {
        // Jazzer 0.24 has no per-input timeout of its own that leaves whole runs alone: a slow input is a finding.
        throw new AssertionError("one input took " + took / 1_000_000 + " ms", refusal);
      }
      if (bounded.getAllocatedMemory() != 0) {
        throw new AssertionError(bounded.getAllocatedMemory() + " bytes still allocated after close"
            + (refusal == null ? "" : " (the input was refused: " + refusal.getMessage() + ")") + "\n"
            + bounded.toVerboseString(), refusal);
      }
      bounded.close();
    }
  }

  /** Work on one input that needs no file or allocator of ours. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  /** Runs {@code step} and fails when it takes longer than any input may ({@link #MAX_NANOS_PER_INPUT}). */
  public static void timed(Step step) throws Exception {
    long start = System.nanoTime();
    step.run();
    long took = System.nanoTime() - start;
    if (took > MAX_NANOS_PER_INPUT) {
      throw new AssertionError("one input took " + took / 1_000_000 + " ms");
    }
  }

  /** Reads every value of every column, so that a lie about lengths is found, not skipped. */
  public static void touch(VectorSchemaRoot table) {
    for (FieldVector v : table.getFieldVectors()) {
      for (int i = 0; i < v.getValueCount(); i++) {
        v.getObject(i);
      }
    }
  }
}
