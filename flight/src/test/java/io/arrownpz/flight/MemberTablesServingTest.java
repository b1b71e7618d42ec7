package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An NPZ whose arrays differ in length is served as a dataset per member ({@code m.npz/a}): pyarrow.flight
 * lists them, describes each as it sends it, and gets NumPy's values (a member's mask as its nulls); the
 * archive's own name says which datasets it holds.
 */
class MemberTablesServingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @Test
  void eachMemberIsADataset() throws Exception {
    PythonPeer.require("pyarrow.flight");
    PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1] + '/m.npz', a=np.arange(10), b=np.linspace(0, 1, 7), c=np.array(['x', 'yy', 'zzz']),
                 **{'c.__mask__': np.array([False, True, False])})
        np.savez(sys.argv[1] + '/even.npz', x=np.arange(3), y=np.arange(3.0))
        """, served.toString());
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0),
        memory.allocator())) {
      String out = PythonPeer.run("""
          import sys, numpy as np, pyarrow.flight as fl
          root, client = sys.argv[1], fl.connect(sys.argv[2])
          names = sorted('/'.join(f.descriptor.path[0].decode() if len(f.descriptor.path) == 1
                         else p.decode() for p in f.descriptor.path) for f in client.list_flights())
          assert names == ['even.npz', 'm.npz/a', 'm.npz/b', 'm.npz/c'], names
          src = np.load(root + '/m.npz')
          for k in ('a', 'b', 'c'):
              d = fl.FlightDescriptor.for_path('m.npz/' + k)
              info = client.get_flight_info(d)
              table = client.do_get(info.endpoints[0].ticket).read_all()
              assert info.schema.equals(table.schema) and info.total_records == table.num_rows, (k, info.schema)
              want = src[k].tolist()
              if k == 'c':
                  want[1] = None
              assert table.column(k).to_pylist() == want, (k, table)
          try:
              client.get_flight_info(fl.FlightDescriptor.for_path('m.npz'))
              raise AssertionError('m.npz described as one table')
          except (fl.FlightError, ValueError) as e:  # pyarrow raises INVALID_ARGUMENT as ArrowInvalid
              assert 'm.npz/a, m.npz/b, m.npz/c' in str(e), e
          print('ok')
          """, served.toString(), service.location().toString());
      assertEquals("ok", out.strip());
      assertEquals(0, service.allocatedBytes());
    }
  }
}
