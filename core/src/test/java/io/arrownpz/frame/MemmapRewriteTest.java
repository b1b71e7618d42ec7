package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.NumpyTables;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.OwnedCache;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A StaticFrame NPY directory on tmpfs, written to through {@code np.memmap} between two reads in one
 * process: on tmpfs such writes change no timestamp, so only a read of the bytes themselves sees them.
 * Each read gives the values NumPy reads at that moment: the transposed float block (a C-order 2-d
 * array), the bool column (packed to bits) and the {@code <U} column (decoded), as they were and after.
 */
class MemmapRewriteTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  private Path dir;
  @RegisterExtension final OwnedCache owned = new OwnedCache();

  @BeforeEach
  void onTmpfs() throws Exception {
    Path shm = Path.of("/dev/shm");
    Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm here");
    dir = Files.createTempDirectory(shm, "arrow-npz-memmap-");
  }

  @AfterEach
  void remove() throws Exception {
    if (dir != null) {
      io.arrownpz.internal.io.Trees.delete(dir);
    }
  }

  @ParameterizedTest(name = "with an owned cache: {0}")
  @ValueSource(booleans = {false, true})
  void writesThroughAMemoryMapAreReadByTheNextRead(boolean cached) throws Exception {
    owned.use(cached);
    PythonPeer.require("static_frame");
    Path frame = dir.resolve("frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        floats = np.arange(40000, dtype=np.float64).reshape(10000, 4) / 4  # one C-order block
        blocks = [floats, np.arange(10000) % 3 == 0, np.array(['v%d' % (k % 7) for k in range(10000)])]
        sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=['f0', 'f1', 'f2', 'f3', 'flag', 'text']).to_npy(sys.argv[1])
        """, frame.toString());
    String script = """
        import sys, numpy as np, static_frame as sf
        f = sf.Frame.from_npy(sys.argv[1])
        print(repr(float(f['f2'].values[9999])), int(f['flag'].values[:10].sum()), f['text'].values[5])
        """;
    assertEquals(PythonPeer.run(script, frame.toString()).strip(), read(frame));
    for (int round = 0; round < 2; round++) { // in quick succession: no time, nor tick, tells them apart
      PythonPeer.run("""
          import sys, glob, numpy as np
          d, k = sys.argv[1], int(sys.argv[2])
          for path in sorted(glob.glob(d + '/__blocks_*.npy')):
              a = np.load(path, mmap_mode='r+')
              if a.dtype == np.float64:
                  a[9999, 2] = -1.5 - k
              elif a.dtype == np.bool_:
                  a[:10] = True
              else:
                  a[5] = 'w%d' % k
              a.flush()
              del a
          """, frame.toString(), Integer.toString(round));
      assertEquals(PythonPeer.run(script, frame.toString()).strip(), read(frame), "after write " + round);
    }
  }

  /** What the script prints, read by us: f2's last value, the first ten flags' sum, text's sixth value. */
  private String read(Path frame) throws Exception {
    try (VectorSchemaRoot t = NumpyTables.read(frame, memory.allocator(), owned.options())) {
      FieldVector f2 = t.getVector("f2");
      FieldVector flag = t.getVector("flag");
      int flags = 0;
      for (int i = 0; i < 10; i++) {
        flags += Boolean.TRUE.equals(flag.getObject(i)) ? 1 : 0;
      }
      List<String> parts = new ArrayList<>();
      parts.add(io.arrownpz.frame.PythonFloat.repr((Double) f2.getObject(9999)));
      parts.add(Integer.toString(flags));
      parts.add(String.valueOf(t.getVector("text").getObject(5)));
      return String.join(" ", parts);
    }
  }
}
