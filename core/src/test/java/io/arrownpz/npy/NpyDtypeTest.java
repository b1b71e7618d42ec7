package io.arrownpz.npy;

import io.arrownpz.internal.npy.NpyHeaderCodec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyDtypeTest {
  @ParameterizedTest
  @ValueSource(strings = {"|b1", "|i1", "<i2", ">i8", "|u1", "<u8", "<f2", ">f4", "<c8", ">c16", "<M8",
      "<M8[D]", "<M8[10s]", ">m8[25us]", "<m8[as]", "<U0", ">U7", "|S0", "|S5", "|V4"})
  void descrRoundTrips(String descr) {
    assertEquals(descr, NpyDtype.parse(descr).descr());
  }

  @Test
  void unitsAndMultipliers() {
    NpyDtype d = NpyDtype.parse("<M8[10s]");
    assertEquals(DateUnit.SECOND, d.unit());
    assertEquals(10, d.unitMultiplier());
    assertEquals(8, d.itemSize());
    assertEquals(28, NpyDtype.parse("<U7").itemSize());
  }

  @ParameterizedTest
  @ValueSource(strings = {"|O", "<f16", "<c32", "<q9", "<i3", "|V0", "<M8[xx]", "<M4", ""})
  void refused(String descr) {
    assertThrows(IllegalArgumentException.class, () -> NpyDtype.parse(descr));
  }

  @Test
  void bothHeaderSpellingsParse() throws Exception {
    String numpy = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
    String staticFrame = "{\"descr\":\"<i8\",\"fortran_order\":True,\"shape\":(3,)}";
    for (String text : new String[] {numpy, staticFrame}) {
      byte[] file = npy(text, 24);
      NpyHeader h = NpyHeaderCodec.read((pos, len) -> ByteBuffer.wrap(file, (int) pos, len).slice(), file.length, "t.npy", null);
      assertEquals("<i8", h.dtype().descr());
      assertEquals(3, h.dim(0));
    }
  }

  @Test
  void zeroDimensionalShape() throws Exception {
    byte[] file = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 8);
    NpyHeader h = NpyHeaderCodec.read((pos, len) -> ByteBuffer.wrap(file, (int) pos, len).slice(), file.length, "t.npy", null);
    assertEquals(0, h.rank());
    assertEquals(1, h.elementCount());
  }

  @Test
  void encodedHeaderIsNumpysAndAligned() {
    byte[] h = NpyHeaderCodec.encode(NpyDtype.parse("<f8"), false, new long[] {7});
    assertEquals(128, h.length);
    String text = new String(h, 10, h.length - 10, StandardCharsets.ISO_8859_1);
    assertTrue(text.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (7,), }"));
    assertTrue(text.endsWith("\n"));
  }

  private static byte[] npy(String header, int dataBytes) {
    byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
    int hlen = text.length + 1;
    ByteBuffer b = ByteBuffer.allocate(10 + hlen + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(NpyHeaderCodec.MAGIC).put((byte) 1).put((byte) 0).putShort((short) hlen).put(text).put((byte) '\n');
    return b.array();
  }
}
