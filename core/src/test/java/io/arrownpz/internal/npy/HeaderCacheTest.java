package io.arrownpz.internal.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A header parsed for one file is found by the next file's cache through the shared one, and every file's
 * size is still checked against the header it gets.
 */
class HeaderCacheTest {
  @Test
  void anotherFilesCacheFindsTheHeaderAndStillChecksItsSize() throws IOException {
    byte[] header = NpyHeaderCodec.encode(NpyDtype.parse("<i8"), false, new long[] {1_234, 5});
    byte[] whole = Arrays.copyOf(header, header.length + 1_234 * 5 * 8);

    NpyHeader first = NpyHeaderCodec.read(reader(whole), whole.length, "a.npy", null, new HeaderCache());
    HeaderCache another = new HeaderCache();
    NpyHeader second = NpyHeaderCodec.read(reader(whole), whole.length, "b.npy", null, another);
    assertSame(first, second, "the header parsed for a.npy");
    assertEquals(1, another.size());
    assertEquals(0, another.hits(), "hits count this cache's own finds");
    assertEquals(5, second.dim(1));

    byte[] cut = Arrays.copyOf(whole, whole.length - 8);
    BadFileException e = assertThrows(BadFileException.class,
        () -> NpyHeaderCodec.read(reader(cut), cut.length, "c.npy", "m.npy", new HeaderCache()));
    assertTrue(e.getMessage().contains("c.npy") && e.getMessage().contains("m.npy"), e.getMessage());
  }

  @Test
  void headersOfOtherTextAreParsedForThemselves() throws IOException {
    byte[] ints = NpyHeaderCodec.encode(NpyDtype.parse("<i8"), false, new long[] {3});
    byte[] floats = NpyHeaderCodec.encode(NpyDtype.parse("<f8"), false, new long[] {3});
    NpyHeaderCodec.read(reader(Arrays.copyOf(ints, ints.length + 24)), ints.length + 24, "i.npy", null,
        new HeaderCache());
    NpyHeader h = NpyHeaderCodec.read(reader(Arrays.copyOf(floats, floats.length + 24)), floats.length + 24,
        "f.npy", null, new HeaderCache());
    assertEquals(NpyDtype.parse("<f8"), h.dtype());
  }

  /**
   * The shared headers are bounded by their bytes, not only by their count: NumPy pads a header with spaces,
   * and files of long headers (here 60 KiB each, 600 distinct ones: 36 MiB) leave at most the bound shared.
   * Each file still gets its own header.
   */
  @Test
  void sharedHeadersStayWithinTheirBytes() throws IOException {
    for (int rows = 1; rows <= 600; rows++) {
      byte[] whole = paddedFile(rows, 60 << 10);
      NpyHeader h = NpyHeaderCodec.read(reader(whole), whole.length, rows + ".npy", null, new HeaderCache());
      assertEquals(rows, h.dim(0));
      assertTrue(HeaderCache.sharedBytes() <= HeaderCache.SHARED_MAX_BYTES,
          (HeaderCache.sharedBytes() >> 20) + " MiB of headers shared after " + rows + " files");
    }
    long shared = HeaderCache.sharedBytes();
    byte[] longer = paddedFile(7, 200 << 10);
    assertEquals(7, NpyHeaderCodec.read(reader(longer), longer.length, "long.npy", null, new HeaderCache()).dim(0));
    assertEquals(shared, HeaderCache.sharedBytes(), "a header of 200 KiB is parsed for its file only, not shared");
  }

  /** A version 2.0 file of {@code rows} float64 values whose header text is padded to about {@code textBytes}. */
  private static byte[] paddedFile(int rows, int textBytes) {
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ",), }";
    int length = (12 + textBytes + 63) / 64 * 64 - 12; // magic, version and length: 12 bytes; then 64-aligned
    StringBuilder text = new StringBuilder(dict);
    while (text.length() < length - 1) {
      text.append(' ');
    }
    text.append('\n');
    ByteBuffer b = ByteBuffer.allocate(12 + length + rows * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
    b.putInt(length).put(text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return b.array();
  }

  private static NpyHeaderCodec.ByteReader reader(byte[] bytes) {
    return (position, length) -> ByteBuffer.wrap(bytes, (int) position,
        (int) Math.max(0, Math.min(length, bytes.length - position))).slice();
  }
}
