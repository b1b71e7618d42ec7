package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetSchema and GetFlightInfo describe what DoGet of the same dataset streams, after each way a file can
 * change under a running service: an NPY-directory frame's block rewritten in place as another dtype of the
 * same size (no time set back, the directory's size the same), an NPZ frame's column renamed with its
 * mtime put back, an NPY file replaced by one of another size and dtype, and a file renamed over another.
 * Checked from pyarrow.flight, comparing all three schemas and the record count with what DoGet sends, and
 * what it sends with what StaticFrame and NumPy read from the files now.
 */
class DescribedAsSentTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @Test
  void everyDescriptionMatchesTheStreamAfterEachChange() throws Exception {
    PythonPeer.require("pyarrow.flight");
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        root = sys.argv[1]
        sf.Frame(np.arange(12, dtype=np.float64).reshape(4, 3) / 2, columns=['a', 'b', 'c']).to_npy(root + '/dir')
        sf.Frame.from_fields([np.arange(4), np.arange(4) * 2.5], columns=['x', 'y']).to_npz(root + '/frame.npz')
        np.save(root + '/plain.npy', np.arange(5, dtype=np.float64))
        np.save(root + '/other.npy', np.array([True, False]))
        """, served.toString());
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0),
        memory.allocator())) {
      String out = PythonPeer.run("""
          import os, sys, glob, numpy as np, pyarrow as pa, pyarrow.flight as fl, static_frame as sf
          root, client = sys.argv[1], fl.connect(sys.argv[2])

          def check(name):
              d = fl.FlightDescriptor.for_path(name)
              schema = client.get_schema(d).schema
              info = client.get_flight_info(d)
              reader = client.do_get(info.endpoints[0].ticket)
              table = reader.read_all()
              assert schema.equals(info.schema) and schema.equals(reader.schema) and schema.equals(table.schema), \\
                  (name, schema, info.schema, reader.schema)
              assert info.total_records == table.num_rows, (name, info.total_records, table.num_rows)
              return table

          # Described once before each change: what a long-running service has seen.
          before = {name: check(name) for name in ('dir', 'frame.npz', 'plain.npy', 'other.npy')}

          # 1. The frame's block rewritten in place: float64 -> int64, same size, no time set back.
          block = [p for p in glob.glob(root + '/dir/__blocks_*.npy')][0]
          size = os.path.getsize(block)
          data = open(block, 'rb').read()
          new = np.load(block).astype(np.int64) * 10
          header_end = data.index(b'\\n') + 1
          body = data[:header_end].replace(b'"<f8"', b'"<i8"').replace(b"'<f8'", b"'<i8'")  # StaticFrame's quotes, or NumPy's
          assert body != data[:header_end], body
          with open(block, 'r+b') as f:
              f.write(body + np.ascontiguousarray(new).tobytes(order='C' if b"'fortran_order': False" in body else 'F'))
          assert os.path.getsize(block) == size
          t = check('dir')
          assert str(t.schema.field('a').type) == 'int64', t.schema
          expected = sf.Frame.from_npy(root + '/dir')
          for label in expected.columns:
              assert t.column(label).to_pylist() == expected[label].values.tolist(), label

          # 2. A column of an NPZ frame renamed, mtime put back.
          st = os.stat(root + '/frame.npz')
          sf.Frame.from_fields([np.arange(4), np.arange(4) * 2.5], columns=['x', 'z']).to_npz(root + '/frame.npz')
          os.utime(root + '/frame.npz', ns=(st.st_atime_ns, st.st_mtime_ns))
          assert os.path.getsize(root + '/frame.npz') == st.st_size
          t = check('frame.npz')
          assert t.schema.names[-2:] == ['x', 'z'], t.schema.names

          # 3. An NPY file replaced by one of another size and dtype.
          np.save(root + '/plain.npy', np.arange(7, dtype=np.int32))
          t = check('plain.npy')
          assert str(t.schema.field(0).type) == 'int32' and t.num_rows == 7, t.schema

          # 4. Another file renamed over it, its mtime older than the one it replaces.
          os.utime(root + '/other.npy', ns=(0, 0))
          os.replace(root + '/other.npy', root + '/plain.npy')
          t = check('plain.npy')
          assert str(t.schema.field(0).type) == 'bool' and t.column(0).to_pylist() == [True, False], t
          print('ok')
          """, served.toString(), service.location().toString());
      assertEquals("ok", out.strip());
      assertEquals(0, service.allocatedBytes());
    }
  }
}
