package io.arrownpz;

import static org.junit.jupiter.api.Assertions.fail;

import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.NpzFrameSource;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
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

  @Test
  void mutatedNpyFiles() throws IOException {
    for (String fixture : List.of("npy/le_f8.npy", "npy/le_U7.npy", "npy/f2d_i8.npy", "npy/be_c16.npy", "npy/le_M8_D.npy")) {
      byte[] original = Files.readAllBytes(Fixtures.path(fixture));
      for (int seed = 0; seed < ROUNDS; seed++) {
        Path file = tmp.resolve("m.npy");
        Files.write(file, mutate(original, new Random(seed), 128));
        try (NpyArray array = NpyFile.open(file);
             FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "x")) {
          v.getValueCount();
        } catch (BadFileException expected) {
          // a clear error is what bad input gets
        } catch (RuntimeException e) {
          fail(fixture + " mutated with seed " + seed + ": " + e, e);
        }
      }
    }
  }

  @Test
  void mutatedArchives() throws IOException {
    for (String fixture : List.of("npz/stored.npz", "npz/deflated.npz", "npz/packed_events.npz", "sf/hierarchy.npz",
        "sf/simple.npz")) {
      byte[] original = Files.readAllBytes(Fixtures.path(fixture));
      for (int seed = 0; seed < ROUNDS; seed++) {
        Path file = tmp.resolve("m.npz");
        Files.write(file, mutate(original, new Random(seed), original.length));
        try {
          readEverything(file);
        } catch (BadFileException expected) {
          // a clear error is what bad input gets
        } catch (IOException | RuntimeException e) {
          fail(fixture + " mutated with seed " + seed + ": " + e, e);
        }
      }
    }
  }

  private void readEverything(Path file) throws IOException {
    try (NpzArchive npz = NpzArchive.open(file)) {
      if (npz.layout() == NpzLayout.FRAME) {
        try (VectorSchemaRoot t = new FrameReader(memory.allocator()).read(new NpzFrameSource(npz))) {
          t.getRowCount();
        }
        return;
      }
      for (ZipEntry entry : npz.entries()) {
        if (!entry.name().endsWith(".npy")) {
          continue;
        }
        try (NpyArray array = npz.array(entry, memory.allocator());
             FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "x")) {
          v.getValueCount();
        }
      }
    }
  }

  /** Flips a few bytes (mostly within the first {@code hotBytes}), or cuts the file short. */
  static byte[] mutate(byte[] original, Random random, int hotBytes) {
    if (random.nextInt(5) == 0) {
      return java.util.Arrays.copyOf(original, random.nextInt(original.length));
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
