package io.arrownpz.flight;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;

/** Small inputs written by pyarrow for the tests. */
final class PythonSource {
  private PythonSource() {}

  /** Seven events of three sessions, out of order, as Feather. */
  static void events(Path file) {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        t = pa.table({"session": [7, 8, 7, 9, 7, 8, 9], "t": [3, 1, 1, 5, 2, 2, 4], "v": [.3, .1, .1, .5, .2, .2, .4]})
        f.write_feather(t, sys.argv[1], compression="uncompressed")
        """, file.toString());
  }
}
