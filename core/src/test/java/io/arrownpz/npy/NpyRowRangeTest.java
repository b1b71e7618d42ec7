package io.arrownpz.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.internal.npy.NpyHeaderCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NpyFile#openRows}: a range of rows, with only its pages mapped. */
class NpyRowRangeTest {
  @TempDir Path dir;

  /** A C-order int64 array of {@code rows} x 3, element (i, j) = 3i + j, in the given byte order. */
  private Path write(long rows, ByteOrder order) throws IOException {
    Path file = dir.resolve("a.npy");
    byte[] header = NpyHeaderCodec.encode(NpyDtype.of(Kind.INT, 8, order), false, new long[] {rows, 3});
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(header));
      ByteBuffer data = ByteBuffer.allocate((int) (rows * 24)).order(order);
      for (long i = 0; i < rows * 3; i++) {
        data.putLong(i);
      }
      out.write(data.flip());
    }
    return file;
  }

  @Test
  void mapsOnlyTheRangeAndReadsItsValues() throws IOException {
    long rows = 200_000; // 4.8 MB
    Path file = write(rows, ByteOrder.LITTLE_ENDIAN);
    try (NpyArray range = NpyFile.openRows(file, 150_000, 1_000)) {
      assertEquals(1_000, range.header().dim(0));
      assertEquals(3, range.header().dim(1));
      // what is mapped is the range, rounded out to pages: at most two pages more than its 24,000 bytes
      assertTrue(range.region().length() <= 24_000 + 2 * 4096, "mapped " + range.region().length());
      ByteBuffer values = range.region().view(0, 24_000).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < 3_000; k++) {
        assertEquals(150_000L * 3 + k, values.getLong(k * 8));
      }
    }
  }

  @Test
  void bigEndianRangesKeepTheirByteOrder() throws IOException {
    Path file = write(1_000, ByteOrder.BIG_ENDIAN);
    try (NpyArray range = NpyFile.openRows(file, 10, 5)) {
      assertEquals(ByteOrder.BIG_ENDIAN, range.dtype().byteOrder());
      assertEquals(30L, range.region().view(0, 8).order(ByteOrder.BIG_ENDIAN).getLong(0));
    }
  }

  @Test
  void anEmptyRangeAndRangesPastTheEnd() throws IOException {
    Path file = write(100, ByteOrder.LITTLE_ENDIAN);
    try (NpyArray none = NpyFile.openRows(file, 100, 0)) {
      assertEquals(0, none.header().dim(0));
    }
    assertThrows(IndexOutOfBoundsException.class, () -> NpyFile.openRows(file, 90, 11));
    assertThrows(IndexOutOfBoundsException.class, () -> NpyFile.openRows(file, -1, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> NpyFile.openRows(file, Long.MAX_VALUE, 2));
  }
}
