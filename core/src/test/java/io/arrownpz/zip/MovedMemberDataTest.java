package io.arrownpz.zip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.NumpyTables;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.OwnedCache;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A member's data moved inside the archive: NumPy's local header loses its ZIP64 extra field, the data
 * shifts up by those 20 bytes and zeros fill the gap, so the central directory, the file's size and (put
 * back) its modification time are all as they were. NumPy reads the new layout right; so must a second
 * read in the same process, which once took the data offset learnt by the first and read garbage.
 */
class MovedMemberDataTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;
  @RegisterExtension final OwnedCache owned = new OwnedCache();

  @ParameterizedTest(name = "with an owned cache: {0}")
  @ValueSource(booleans = {false, true})
  void aSecondReadFindsMovedDataWhereItIsNow(boolean cached) throws Exception {
    owned.use(cached);
    PythonPeer.require("numpy");
    Path npz = tmp.resolve("moved.npz");
    PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1], a=np.arange(6, dtype=np.int64), b=np.arange(6, dtype=np.int64) * 10)
        """, npz.toString());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), column(npz, "a"));
    String moved = PythonPeer.run("""
        import sys, os, struct, numpy as np
        path = sys.argv[1]
        st = os.stat(path)
        data = bytearray(open(path, 'rb').read())
        assert data[:4] == b'PK\\x03\\x04'
        name_len, extra_len = struct.unpack('<HH', data[26:30])
        assert extra_len == 20, extra_len  # NumPy writes its members with force_zip64
        start = 30 + name_len
        size = struct.unpack('<Q', data[start + 4:start + 12])[0]  # the ZIP64 field's uncompressed size
        body = data[start + extra_len:start + extra_len + size]
        data[18:26] = struct.pack('<II', size, size)  # sizes in the header itself, as without ZIP64
        data[28:30] = struct.pack('<H', 0)
        data[start:start + size] = body
        data[start + size:start + size + extra_len] = bytes(extra_len)
        with open(path, 'r+b') as f:
            f.write(data)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert os.path.getsize(path) == st.st_size
        print(np.load(path)['a'].tolist())
        """, npz.toString());
    assertEquals("[0, 1, 2, 3, 4, 5]", moved.strip(), "NumPy reads the moved member");
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), column(npz, "a"));
    assertEquals(List.of(0L, 10L, 20L, 30L, 40L, 50L), column(npz, "b"));
    if (owned.cache() != null) { // the rereads used the mapping kept by the first: it shows the file as it is now
      assertEquals(0, owned.cache().stats().changed());
      org.junit.jupiter.api.Assertions.assertTrue(owned.cache().stats().hits() >= 2, owned.cache().stats().toString());
    }
  }

  private List<Long> column(Path npz, String name) throws Exception {
    try (VectorSchemaRoot table = NumpyTables.read(npz, memory.allocator(), owned.options())) {
      BigIntVector v = (BigIntVector) table.getVector(name);
      List<Long> values = new ArrayList<>();
      for (int i = 0; i < v.getValueCount(); i++) {
        values.add(v.get(i));
      }
      return values;
    }
  }
}
