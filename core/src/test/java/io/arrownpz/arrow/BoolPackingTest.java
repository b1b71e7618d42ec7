package io.arrownpz.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** NumPy bools become Arrow bits: every length's tail, and any byte that is not zero read as true. */
class BoolPackingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void everyLengthAndByteValue() throws IOException {
    Random random = new Random(7);
    byte[] kinds = {0, 1, 2, (byte) 0x80, (byte) 0xFF, 0x7F, 0x01, 0x00};
    for (int n = 0; n <= 70; n++) {
      byte[] values = new byte[n];
      for (int i = 0; i < n; i++) {
        values[i] = kinds[random.nextInt(kinds.length)];
      }
      assertRead(values);
    }
  }

  @Test
  void singleTrueInEachPlaceOfAWord() throws IOException {
    for (int at = 0; at < 24; at++) {
      for (byte value : new byte[] {1, (byte) 0x80, (byte) 0xFE}) {
        byte[] values = new byte[24];
        values[at] = value;
        assertRead(values);
      }
    }
  }

  @Test
  void numpyBoolsOfEveryByteValue() throws IOException {
    PythonPeer.require("numpy");
    Path file = tmp.resolve("numpy.npy");
    // NumPy itself writes what its bools hold, including bytes other than 0 and 1 made through a view.
    PythonPeer.run("""
        import sys, numpy as np
        np.save(sys.argv[1], (np.arange(1000) * 37 % 256).astype(np.uint8).view(np.bool_))
        """, file.toString());
    try (NpyArray array = NpyFile.open(file);
         FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "b")) {
      BitVector bits = (BitVector) v;
      assertEquals(1000, bits.getValueCount());
      for (int i = 0; i < 1000; i++) {
        assertEquals(i * 37 % 256 != 0 ? 1 : 0, bits.get(i), "row " + i);
      }
    }
  }

  private void assertRead(byte[] values) throws IOException {
    Path file = tmp.resolve("b" + values.length + ".npy");
    byte[] header = NpyHeaderCodec.encode(NpyDtype.parse("|b1"), false, new long[] {values.length});
    byte[] all = new byte[header.length + values.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(values, 0, all, header.length, values.length);
    Files.write(file, all);
    try (NpyArray array = NpyFile.open(file);
         FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "b")) {
      BitVector bits = (BitVector) v;
      assertEquals(values.length, bits.getValueCount());
      for (int i = 0; i < values.length; i++) {
        assertEquals(values[i] != 0 ? 1 : 0, bits.get(i), "length " + values.length + ", row " + i);
        assertEquals(false, bits.isNull(i));
      }
    }
  }
}
