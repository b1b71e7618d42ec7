package io.arrownpz.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.NumpyTables;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.OwnedCache;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A StaticFrame NPZ whose C-order float block is rewritten in place with other values, its CRC-32 kept (four
 * bytes of the block chosen to give the old one) and its mtime put back: the size, the times and the whole
 * central directory are as they were, and NumPy reads the new values (its CRC check passes). Read again in
 * the same process, after reads that would once have kept the block's transposed copy, it gives NumPy's
 * new values.
 */
class CrcKeptRewriteTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;
  @RegisterExtension final OwnedCache owned = new OwnedCache();

  @ParameterizedTest(name = "with an owned cache: {0}")
  @ValueSource(booleans = {false, true})
  void aRewriteThatKeepsTheCrcIsReadAsItIsNow(boolean cached) throws Exception {
    owned.use(cached);
    PythonPeer.require("static_frame");
    Path npz = tmp.resolve("frame.npz");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        block = np.arange(200_000 * 4, dtype=np.float64).reshape(200_000, 4)
        sf.Frame(block, columns=['a', 'b', 'c', 'd']).to_npz(sys.argv[1])
        """, npz.toString());
    for (int read = 0; read < 3; read++) {
      assertEquals(2.0, value(npz, "c", 0), "read " + read);
    }
    String now = PythonPeer.run("""
        import sys, os, struct, zlib, zipfile, numpy as np
        path = sys.argv[1]
        st = os.stat(path)
        z = zipfile.ZipFile(path)
        info = [i for i in z.infolist() if i.filename.startswith('__blocks_0__')][0]
        z.close()
        data = bytearray(open(path, 'rb').read())
        name_len, extra_len = struct.unpack('<HH', data[info.header_offset + 26:info.header_offset + 30])
        start = info.header_offset + 30 + name_len + extra_len
        member = data[start:start + info.file_size]
        old_crc = zlib.crc32(member)
        header_len = struct.unpack('<H', member[8:10])[0] + 10
        body = np.frombuffer(bytes(member[header_len:]), dtype='<f8').copy()
        body[:1000] = -7.5  # new values in the first 250 rows
        member[header_len:] = body.tobytes()
        # Four bytes near the end chosen so that the CRC-32 is the old one (CRC-32 is affine in them).
        at = len(member) - 16
        def crc_with(w):
            m = bytearray(member); m[at:at + 4] = struct.pack('<I', w); return zlib.crc32(m)
        base = crc_with(0)
        columns = [crc_with(1 << i) ^ base for i in range(32)]
        rows = [(columns[i], 1 << i) for i in range(32)]  # solve sum(w_i * column_i) = old_crc ^ base
        basis = {}
        for col, w in rows:
            for bit in range(31, -1, -1):
                if not (col >> bit) & 1:
                    continue
                if bit in basis:
                    col ^= basis[bit][0]; w ^= basis[bit][1]
                else:
                    basis[bit] = (col, w); break
        target, w = old_crc ^ base, 0
        for bit in range(31, -1, -1):
            if (target >> bit) & 1:
                target ^= basis[bit][0]; w ^= basis[bit][1]
        assert target == 0
        member[at:at + 4] = struct.pack('<I', w)
        assert zlib.crc32(member) == old_crc
        data[start:start + info.file_size] = member
        with open(path, 'r+b') as f:
            f.write(data)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        import static_frame as sf
        print(repr(float(sf.Frame.from_npz(path)['c'].values[0])))
        """, npz.toString());
    assertEquals(-7.5, Double.parseDouble(now.strip()), "StaticFrame reads the rewrite");
    assertEquals(-7.5, value(npz, "c", 0));
    if (owned.cache() != null) { // the reread used the mapping kept by the first: it shows the file as it is now
      assertEquals(0, owned.cache().stats().changed());
      org.junit.jupiter.api.Assertions.assertTrue(owned.cache().stats().hits() >= 1, owned.cache().stats().toString());
    }
  }

  private double value(Path npz, String column, int row) throws Exception {
    try (VectorSchemaRoot t = NumpyTables.read(npz, memory.allocator(), owned.options())) {
      return ((Float8Vector) t.getVector(column)).get(row);
    }
  }
}
