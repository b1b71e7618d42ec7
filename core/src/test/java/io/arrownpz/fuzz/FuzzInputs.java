package io.arrownpz.fuzz;

import io.arrownpz.BadFileException;
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

  private FuzzInputs() {}

  /** The work done on one input file, with an allocator bounded for it. */
  @FunctionalInterface
  public interface Work {
    void run(Path file, BufferAllocator allocator) throws IOException;
  }

  private static final ThreadLocal<Path> DIRECTORY = ThreadLocal.withInitial(() -> {
    try {
      Path dir = Files.createTempDirectory("arrownpz-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
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
      try {
        work.run(file, bounded);
      } catch (BadFileException documented) {
        refusal = documented;
        // the answer to a bad file: it names the file and the problem
        if (!documented.getMessage().startsWith(file.toString())) {
          throw new AssertionError("the error does not name the file: " + documented.getMessage(), documented);
        }
      }
      if (bounded.getAllocatedMemory() != 0) {
        throw new AssertionError(bounded.getAllocatedMemory() + " bytes still allocated after close"
            + (refusal == null ? "" : " (the input was refused: " + refusal.getMessage() + ")") + "\n"
            + bounded.toVerboseString(), refusal);
      }
      bounded.close();
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
