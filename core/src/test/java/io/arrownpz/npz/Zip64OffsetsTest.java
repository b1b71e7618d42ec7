package io.arrownpz.npz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive past 2 GiB: members beyond the 32-bit offset limit get ZIP64 records, NumPy reads the last
 * one, and so do we, through the path for archives too large to map whole.
 */
class Zip64OffsetsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void archivePastTwoGibibytes() throws IOException {
    int rows = 96_000_000; // 768 MB a member; the fourth starts past 2^31
    Path file = tmp.resolve("big.npz");
    try (Float8Vector v = new Float8Vector("v", memory.allocator());
         NpzWriter writer = NpzWriter.create(file, NpzWriteOptions.DEFAULTS)) {
      v.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        v.set(i, i);
      }
      v.setValueCount(rows);
      for (String key : new String[] {"a", "b", "c", "d"}) {
        writer.add(key, v);
      }
      writer.commit();
    }
    assertTrue(Files.size(file) > (1L << 31));
    try (NpzArchive npz = NpzArchive.open(file)) {
      assertTrue(npz.zip().entry("d.npy").localHeaderOffset() > Integer.MAX_VALUE);
      try (NpyArray d = npz.array("d", memory.allocator());
           FieldVector vector = new NpyVectorReader(memory.allocator()).read(d, "d")) {
        assertEquals(rows - 1.0, ((Float8Vector) vector).get(rows - 1));
      }
    }
    PythonPeer.require("numpy");
    String out = PythonPeer.run("""
        import sys, zipfile, numpy as np
        with zipfile.ZipFile(sys.argv[1]) as z:
            assert z.getinfo('d.npy').header_offset > 2**31
        with np.load(sys.argv[1]) as z:
            d = z['d']
            assert d.shape == (96_000_000,) and d[0] == 0 and d[-1] == 95_999_999
        print('ok')
        """, file.toString());
    assertEquals("ok", out.strip());
    Files.delete(file);
  }
}
