package io.arrownpz.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A 0-d array is one row, and goes back to NumPy as a 0-d array. */
class ZeroDimensionalTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void scalarRoundTrip() throws IOException {
    Path file = tmp.resolve("scalar.npy");
    byte[] header = NpyHeaderCodec.encode(NpyDtype.parse("<f8"), false, new long[0]);
    ByteBuffer b = ByteBuffer.allocate(header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header).putDouble(2.75);
    Files.write(file, b.array());
    Path back = tmp.resolve("back.npy");
    try (NpyArray array = NpyFile.open(file);
         FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "s")) {
      assertEquals(1, v.getValueCount());
      assertEquals(2.75, ((Float8Vector) v).get(0));
      NpyVectorWriter.of(v).writeTo(back);
    }
    NpyHeader h = NpyFile.readHeader(back);
    assertArrayEquals(new long[0], h.shape());
    PythonPeer.require("numpy");
    String out = PythonPeer.run("""
        import sys, numpy as np
        a = np.load(sys.argv[1])
        assert a.shape == () and a.dtype == np.float64 and a[()] == 2.75
        print('ok')
        """, back.toString());
    assertEquals("ok", out.strip());
  }
}
