package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * StaticFrame frames stored as C-order blocks (one float block; a little-endian and a big-endian int block
 * beside strings) served in batches of 4,000 rows, each batch's window of a block transposed as it is sent.
 * Each of two gets gives pyarrow.flight StaticFrame's own values; the second maps through the service's
 * cache; the copies leave the service's allocator at zero.
 */
class COrderFrameServingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @Test
  void windowsOfKeptCopiesCarryStaticFramesValues() throws Exception {
    PythonPeer.require("pyarrow.flight");
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows = 30_000
        r = np.arange(rows)[:, None]
        uniform = sf.Frame((r * 8 + np.arange(8)[None, :]) / 4.0, columns=['u%d' % i for i in range(8)])
        uniform.to_npz(sys.argv[1] + '/uniform.npz')
        blocks = [(r * 4 + np.arange(4)[None, :]).astype('<i8'), (r * 3 + np.arange(3)[None, :]).astype('>i4'),
                  np.array(['s%d' % (k % 11) for k in range(rows)])]
        columns = ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'text']
        sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=columns).to_npz(sys.argv[1] + '/mixed.npz')
        """, served.toString());
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(4, 4_000, 1L << 30), memory.allocator())) {
      String out = PythonPeer.run("""
          import sys, numpy as np, pyarrow as pa, pyarrow.flight as fl, static_frame as sf
          root, location = sys.argv[1], sys.argv[2]
          client = fl.connect(location)
          for name in ('uniform.npz', 'mixed.npz'):
              frame = sf.Frame.from_npz(root + '/' + name)
              for get in range(2):
                  reader = client.do_get(fl.Ticket(name.encode()))
                  batches = [chunk.data for chunk in reader]
                  got = pa.Table.from_batches(batches, schema=reader.schema)
                  assert got.num_rows == len(frame), (name, got.num_rows)
                  for label in frame.columns:
                      expected = frame[label].values
                      values = got.column(str(label)).to_numpy(zero_copy_only=False)
                      assert np.array_equal(values.astype(expected.dtype), expected), (name, label)
                  print(name, get, len(batches))
          """, served.toString(), service.location().toString());
      assertEquals(4, out.strip().lines().count(), out);
      for (String line : out.strip().lines().toList()) {
        assertEquals("8", line.split(" ")[2], line + ": 30,000 rows in batches of 4,000");
      }
      assertEquals(0, service.allocatedBytes(), "the kept copies count against no call");
      assertEquals(2, service.cacheStats().misses(), service.cacheStats().toString());
      assertEquals(2, service.cacheStats().hits(), "each second get used the file's kept mapping");
    }
  }
}
