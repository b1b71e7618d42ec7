package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NpzInfo;
import io.arrownpz.NumpyTables;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrays past Java 17's 2 GiB mapping limit, past 4 GiB even: mapped in one piece (mmap), read as Arrow
 * vectors over the file, written back byte for byte, and unmapped only when the last user is gone.
 */
class LargeMappingTest {
  /** float64 values: 8 * N + header = 4.3 GB, past 2^32 bytes. */
  private static final int N = 537_000_000;
  private static final long[] MARKED = {0, 1, 268_435_456, 268_435_457, N - 1};

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /** A sparse file: the header, a few marked values, zeros elsewhere (no disk used for them). */
  private Path sparseNpy() throws IOException {
    Path file = tmp.resolve("big.npy");
    byte[] header = NpyHeaderCodec.encode(NpyDtype.parse("<f8"), false, new long[] {N});
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(header));
      for (long i : MARKED) {
        ByteBuffer value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, i + 0.25);
        ch.write(value, header.length + 8 * i);
      }
    }
    assertEquals(header.length + 8L * N, Files.size(file));
    return file;
  }

  private static void assertMarked(Float8Vector v) {
    assertEquals(N, v.getValueCount());
    for (long i : MARKED) {
      assertEquals(i + 0.25, v.get((int) i), "value " + i);
    }
    assertEquals(0.0, v.get(123_456_789));
  }

  /** Each way of mapping (channel, mmap, the copying fallback) gives the file's bytes from any offset. */
  @Test
  void everyMapperGivesTheFileBytes() throws IOException {
    Path file = tmp.resolve("bytes.bin");
    byte[] bytes = new byte[300_000];
    new java.util.Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    assertTrue(NativeMapper.AVAILABLE, "mmap through JNA on this platform");
    for (long offset : new long[] {0, 1, 4095, 65_537}) {
      int length = bytes.length - (int) offset - 3;
      for (Mapping m : new Mapping[] {Mapper.channel(file, offset, length), NativeMapper.map(file, offset, length),
          Mapper.copy(file, offset, length)}) {
        try {
          byte[] seen = new byte[length];
          org.apache.arrow.memory.util.MemoryUtil.directBuffer(m.address(), length).get(seen);
          assertEquals(-1, java.util.Arrays.mismatch(seen, java.util.Arrays.copyOfRange(bytes, (int) offset,
              (int) offset + length)), "offset " + offset);
        } finally {
          m.release();
        }
      }
    }
  }

  @Test
  void npyPastFourGigabytesIsAViewOfTheFile() throws IOException {
    Path file = sparseNpy();
    MappedRegion region;
    Float8Vector values;
    try (NpyArray array = NpyFile.open(file)) {
      region = (MappedRegion) io.arrownpz.internal.npy.Internals.arrays().region(array);
      values = (Float8Vector) new NpyVectorReader(memory.allocator()).read(array, "x");
      assertEquals(array.dataAddress(), values.getDataBuffer().memoryAddress(), "the values are the file's bytes");
    }
    // The array is closed; the vector keeps the mapping alive, and only it.
    assertTrue(region.isLive());
    assertMarked(values);
    values.close();
    assertFalse(region.isLive(), "unmapped once the last vector is closed");

    Path copy = tmp.resolve("copy.npy");
    try (VectorSchemaRoot table = NumpyTables.read(file, memory.allocator())) {
      assertMarked((Float8Vector) table.getVector(0));
      NumpyTables.write(table, copy);
    }
    assertEquals(-1, Files.mismatch(file, copy), "written back byte for byte");
    Files.delete(copy);
  }

  @Test
  void npzMemberPastFourGigabytesIsAViewOfTheArchive() throws IOException {
    Path file = sparseNpy();
    Path npz = tmp.resolve("big.npz");
    try (VectorSchemaRoot table = NumpyTables.read(file, memory.allocator())) {
      NumpyTables.write(table, npz);
    }
    Files.delete(file);
    NpzInfo info = (NpzInfo) NumpyTables.describe(npz);
    assertEquals(8L * N + 128, info.members().get(0).size());
    Path again = tmp.resolve("again.npz");
    try (VectorSchemaRoot table = NumpyTables.read(npz, memory.allocator())) {
      Float8Vector v = (Float8Vector) table.getVector(0);
      long at = v.getDataBuffer().memoryAddress();
      assertMarked(v);
      assertTrue(info.members().get(0).dataOffset() > 0);
      NumpyTables.write(table, again);
      assertEquals(at, v.getDataBuffer().memoryAddress());
    }
    assertEquals(-1, Files.mismatch(npz, again), "written back byte for byte");
  }
}
