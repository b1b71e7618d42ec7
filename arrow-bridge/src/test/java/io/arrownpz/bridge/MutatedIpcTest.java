package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.fail;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import io.arrownpz.bridge.ipc.IpcCompression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupted Feather files, read and converted on to NPZ (whose writer reads vectors straight from
 * memory): each either converts or fails with a clear error; nothing else, never past a buffer, no
 * allocation far beyond the file's size, and nothing left allocated afterwards.
 */
class MutatedIpcTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /** Packed events and a few thousand rows of repetitive numbers and text, which compress well. */
  private VectorSchemaRoot compressibleTable() throws IOException {
    try (VectorSchemaRoot events = new Converter(memory.allocator()).read(Fixtures.path("npz/packed_events.npz"),
        FileFormat.NPZ, ConvertOptions.DEFAULTS)) {
      org.apache.arrow.vector.BigIntVector n = new org.apache.arrow.vector.BigIntVector("n", memory.allocator());
      org.apache.arrow.vector.VarCharVector s = new org.apache.arrow.vector.VarCharVector("s", memory.allocator());
      int rows = events.getRowCount();
      for (int i = 0; i < rows; i++) {
        n.setSafe(i, i % 3);
        s.setSafe(i, ("row " + "x".repeat(200 + i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      n.setValueCount(rows);
      s.setValueCount(rows);
      java.util.List<org.apache.arrow.vector.FieldVector> columns = new java.util.ArrayList<>();
      for (org.apache.arrow.vector.FieldVector v : events.getFieldVectors()) {
        columns.add(io.arrownpz.internal.arrow.Vectors.transfer(v, memory.allocator()));
      }
      columns.add(n);
      columns.add(s);
      return new VectorSchemaRoot(columns);
    }
  }

  /** Far more than the files need (a few KB): a mutation that makes us allocate past it fails. */
  private static final long LIMIT = 64L << 20;

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    return java.util.stream.Stream.of(FileFormat.FEATHER, FileFormat.IPC_STREAM).flatMap(format ->
        java.util.Arrays.stream(IpcCompression.values())
            .map(c -> org.junit.jupiter.params.provider.Arguments.of(format, c)));
  }

  /**
   * Feather files and IPC streams, each mutated, read whole and written as NPZ, and converted batch by
   * batch to the other IPC format: a clear error names the input (never the output, never a bare
   * IOException), and every buffer is released.
   */
  @ParameterizedTest(name = "{0} {1}")
  @org.junit.jupiter.params.provider.MethodSource("cases")
  void mutatedFiles(FileFormat format, IpcCompression compression) throws IOException {
    String ext = format == FileFormat.FEATHER ? ".feather" : ".arrows";
    FileFormat other = format == FileFormat.FEATHER ? FileFormat.IPC_STREAM : FileFormat.FEATHER;
    Path good = tmp.resolve("good" + ext);
    try (VectorSchemaRoot table = compressibleTable()) {
      new Converter(memory.allocator()).write(table, good, format, ConvertOptions.DEFAULTS.withIpc(compression));
    }
    byte[] original = Files.readAllBytes(good);
    int rounds = Integer.getInteger("arrownpz.mutation.rounds", 400);
    for (int seed = 0; seed < rounds; seed++) {
      Random random = new Random(seed);
      byte[] b = original.clone();
      if (random.nextInt(5) == 0) {
        b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
      } else {
        for (int i = 0, flips = 1 + random.nextInt(4); i < flips; i++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
      }
      Path file = tmp.resolve("m" + ext);
      Files.write(file, b);
      BufferAllocator round = memory.allocator().newChildAllocator("seed " + seed, 0, LIMIT);
      Converter c = new Converter(round);
      try (VectorSchemaRoot t = c.read(file, format, ConvertOptions.DEFAULTS)) {
        c.write(t, tmp.resolve("m.npz"), FileFormat.NPZ, ConvertOptions.DEFAULTS);
      } catch (BadFileException | UnsupportedDataException expected) {
        // a clear error naming the file or the column
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        fail("seed " + seed + ": " + e, e);
      }
      if (round.getAllocatedMemory() != 0) {
        fail("seed " + seed + ": " + round.getAllocatedMemory() + " bytes not released after reading\n" + round.toVerboseString());
      }
      try {
        c.convert(file, format, tmp.resolve("m.out"), other, ConvertOptions.DEFAULTS);
      } catch (BadFileException expected) {
        if (!expected.file().equals(file.toString())) {
          fail("seed " + seed + ": the error names " + expected.file() + ", not the input: " + expected.getMessage());
        }
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        fail("seed " + seed + " (conversion): " + e, e);
      }
      if (round.getAllocatedMemory() != 0) {
        fail("seed " + seed + ": " + round.getAllocatedMemory() + " bytes not released after converting");
      }
      round.close();
    }
  }

  /**
   * Streams whose length prefix claims far more than the file holds (an 8-byte file declaring a 2 GiB
   * message): refused naming the file, before anything of that size is allocated.
   */
  @org.junit.jupiter.api.Test
  void lengthPrefixesAreCheckedAgainstTheFile() throws IOException {
    byte[][] hostile = {
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f},
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00, 0x00, 0x10, 0x00, 1, 2, 3}};
    for (byte[] bytes : hostile) {
      Path file = tmp.resolve("hostile.arrows");
      Files.write(file, bytes);
      BufferAllocator round = memory.allocator().newChildAllocator("hostile", 0, 1 << 20);
      BadFileException e = org.junit.jupiter.api.Assertions.assertThrows(BadFileException.class,
          () -> new Converter(round).read(file, FileFormat.IPC_STREAM, ConvertOptions.DEFAULTS).close());
      org.junit.jupiter.api.Assertions.assertEquals(file.toString(), e.file(), e.getMessage());
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("follow"), e.getMessage());
      round.close();
    }
  }
}
