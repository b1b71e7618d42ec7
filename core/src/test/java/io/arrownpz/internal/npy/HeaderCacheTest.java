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

  private static NpyHeaderCodec.ByteReader reader(byte[] bytes) {
    return (position, length) -> ByteBuffer.wrap(bytes, (int) position,
        (int) Math.max(0, Math.min(length, bytes.length - position))).slice();
  }
}
