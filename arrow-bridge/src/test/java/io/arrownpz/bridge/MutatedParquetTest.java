package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.fail;

import io.arrownpz.BadFileException;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted Parquet files (bytes flipped in the footer, the page headers and the data, lengths set to
 * boundary values, files cut short), read and every value touched: each reads, or fails with a
 * {@link BadFileException} naming the file, within a time limit, leaving nothing allocated.
 */
class MutatedParquetTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final long LIMIT = 64L << 20;
  private static final long MAX_NANOS = 10_000_000_000L;

  @Test
  void mutatedParquetFiles() throws IOException {
    Path good = tmp.resolve("good.parquet");
    Converter writer = new Converter(memory.allocator());
    writer.convert(Fixtures.path("npz/packed_events.npz"), FileFormat.NPZ, good, FileFormat.PARQUET, ConvertOptions.DEFAULTS);
    byte[] original = Files.readAllBytes(good);
    int rounds = Integer.getInteger("arrownpz.mutation.rounds", 400) / 2;
    for (int seed = 0; seed < rounds; seed++) {
      Path file = tmp.resolve("m.parquet");
      Files.write(file, mutate(original, new Random(seed)));
      BufferAllocator round = memory.allocator().newChildAllocator("seed " + seed, 0, LIMIT);
      long start = System.nanoTime();
      try (VectorSchemaRoot t = new Converter(round).read(file, FileFormat.PARQUET, ConvertOptions.DEFAULTS)) {
        for (FieldVector v : t.getFieldVectors()) {
          for (int i = 0; i < v.getValueCount(); i++) {
            v.getObject(i);
          }
        }
      } catch (BadFileException expected) {
        if (!expected.file().equals(file.toString())) {
          fail("seed " + seed + ": the error names " + expected.file());
        }
      } catch (IOException | RuntimeException e) {
        fail("seed " + seed + ": " + e, e);
      }
      if (System.nanoTime() - start > MAX_NANOS) {
        fail("seed " + seed + ": took " + (System.nanoTime() - start) / 1_000_000 + " ms");
      }
      if (round.getAllocatedMemory() != 0) {
        fail("seed " + seed + ": " + round.getAllocatedMemory() + " bytes not released");
      }
      round.close();
    }
  }

  /** Most mutations land in the footer (the end of the file), where Parquet keeps its lengths. */
  private static byte[] mutate(byte[] original, Random random) {
    if (random.nextInt(5) == 0) {
      return java.util.Arrays.copyOf(original, random.nextInt(original.length));
    }
    byte[] b = original.clone();
    for (int i = 0, flips = 1 + random.nextInt(4); i < flips; i++) {
      int at = random.nextInt(3) == 0 ? random.nextInt(b.length) : b.length - 1 - random.nextInt(Math.min(600, b.length));
      b[at] = (byte) random.nextInt(256);
    }
    return b;
  }
}
