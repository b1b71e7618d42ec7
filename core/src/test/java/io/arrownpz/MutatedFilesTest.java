package io.arrownpz;

import static org.junit.jupiter.api.Assertions.fail;

import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted copies of real files (bytes flipped in headers, central directories and data; files cut
 * short): reading each either works or fails with a {@link BadFileException}. Any other exception is a
 * crash as far as a user is concerned, and fails the test with the seed that made it.
 */
class MutatedFilesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final int ROUNDS = Integer.getInteger("arrownpz.mutation.rounds", 400);

  /** Far more than these files need (a few KB): a mutation that makes us allocate past it fails. */
  private static final long LIMIT = 64L << 20;
  /** No case may take longer: a hang or a quadratic walk over a hostile length shows up here. */
  private static final long MAX_NANOS = 5_000_000_000L;

  @Test
  void mutatedNpyFiles() throws IOException {
    for (String fixture : List.of("npy/le_f8.npy", "npy/le_U7.npy", "npy/f2d_i8.npy", "npy/be_c16.npy", "npy/le_M8_D.npy")) {
      byte[] original = Files.readAllBytes(Fixtures.path(fixture));
      for (int seed = 0; seed < ROUNDS; seed++) {
        Path file = tmp.resolve("m.npy");
        Files.write(file, mutate(original, new Random(seed), 128));
        readEveryValue(fixture + " mutated with seed " + seed, file);
      }
    }
  }

  @Test
  void mutatedArchives() throws IOException {
    for (String fixture : List.of("npz/stored.npz", "npz/deflated.npz", "npz/packed_events.npz", "npz/many_members.npz",
        "sf/hierarchy.npz", "sf/simple.npz")) {
      byte[] original = Files.readAllBytes(Fixtures.path(fixture));
      for (int seed = 0; seed < ROUNDS; seed++) {
        Path file = tmp.resolve("m.npz");
        Files.write(file, mutate(original, new Random(seed), original.length));
        readEveryValue(fixture + " mutated with seed " + seed, file);
        // Plain archives of unequal members are no table: each member on its own, too.
        try (NpzArchive npz = NpzArchive.open(file)) {
          if (npz.layout() == NpzLayout.PLAIN) {
            for (ZipEntry entry : npz.entries()) {
              readEveryValue(fixture + " seed " + seed + " member " + entry.name(), file,
                  ReadOptions.DEFAULTS.withMember(entry.name()));
            }
          }
        } catch (BadFileException expected) {
          // checked above
        }
      }
    }
  }

  private void readEveryValue(String what, Path file) {
    readEveryValue(what, file, ReadOptions.DEFAULTS);
  }

  /**
   * Reads a file through the front door and every value in it, under an allocation limit and a time
   * limit: it reads, or fails with a {@link BadFileException}; nothing stays allocated either way.
   */
  private void readEveryValue(String what, Path file, ReadOptions options) {
    BufferAllocator round = memory.allocator().newChildAllocator(what, 0, LIMIT);
    long start = System.nanoTime();
    try (VectorSchemaRoot table = NumpyTables.read(file, round, options)) {
      for (FieldVector v : table.getFieldVectors()) {
        for (int i = 0; i < v.getValueCount(); i++) {
          v.getObject(i);
        }
      }
    } catch (BadFileException expected) {
      // a clear error is what bad input gets
    } catch (IOException | RuntimeException e) {
      fail(what + ": " + e, e);
    }
    long took = System.nanoTime() - start;
    if (took > MAX_NANOS) {
      fail(what + ": took " + took / 1_000_000 + " ms");
    }
    if (round.getAllocatedMemory() != 0) {
      fail(what + ": " + round.getAllocatedMemory() + " bytes not released");
    }
    round.close();
  }

  /** Values a hostile length field takes: zero, one, the largest, negative, and just past the file. */
  private static long boundary(Random random, int fileLength) {
    long[] values = {0, 1, -1, Integer.MAX_VALUE, 0xFFFFFFFFL, Long.MAX_VALUE, fileLength, fileLength + 1,
        fileLength - 1, 1L << 31, 1L << 32};
    return values[random.nextInt(values.length)];
  }

  /**
   * Flips a few bytes (mostly within the first {@code hotBytes}), overwrites a 2-, 4- or 8-byte length
   * field with a boundary value, or cuts the file short.
   */
  static byte[] mutate(byte[] original, Random random, int hotBytes) {
    int strategy = random.nextInt(5);
    if (strategy == 0) {
      return java.util.Arrays.copyOf(original, random.nextInt(original.length));
    }
    if (strategy == 1 && original.length > 16) {
      byte[] b = original.clone();
      int width = new int[] {2, 4, 8}[random.nextInt(3)];
      int at = random.nextBoolean() ? random.nextInt(Math.min(hotBytes, b.length - width))
          : b.length - width - random.nextInt(Math.min(200, b.length - width));
      long value = boundary(random, original.length);
      for (int k = 0; k < width; k++) {
        b[at + k] = (byte) (value >>> (8 * k));
      }
      return b;
    }
    byte[] b = original.clone();
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips; i++) {
      int at = random.nextInt(3) == 0 ? random.nextInt(b.length) : random.nextInt(Math.min(hotBytes, b.length));
      if (random.nextBoolean() && original.length > 22 && hotBytes == original.length) {
        at = b.length - 1 - random.nextInt(Math.min(200, b.length)); // end records and central directory
      }
      b[at] = (byte) random.nextInt(256);
    }
    return b;
  }
}
