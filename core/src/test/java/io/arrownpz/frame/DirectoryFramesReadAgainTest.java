package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StaticFrame NPY directory opened again and again in one process reads the values its files hold at
 * each open: big-endian columns, a frame of no rows, and a column NumPy rewrote in place in the other byte
 * order between two opens (at once, within the same clock tick as likely as not).
 */
class DirectoryFramesReadAgainTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void aDirectoryOpenedAgainReadsWhatItsFilesHoldNow() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        d = sys.argv[1]
        sf.Frame.from_fields([np.arange(5, dtype='>i4'), np.linspace(0, 1, 5).astype('>f8'), np.array(list('abcde'))],
                             columns=['a', 'b', 'c']).to_npy(d + '/frame')
        sf.Frame.from_fields([np.array([], dtype='>i4'), np.array([], dtype='<f8')], columns=['a', 'b']).to_npy(d + '/empty')
        assert np.load(d + '/frame/__blocks_0__.npy').dtype == np.dtype('>i4')
        """, tmp.toString());
    Path frame = tmp.resolve("frame");
    Path empty = tmp.resolve("empty");
    FrameReader reader = new FrameReader(memory.allocator());
    for (int pass = 0; pass < 4; pass++) {
      assertEquals(List.of(0, 1, 2, 3, 4), column(reader, frame, "a"), "pass " + pass);
      assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), column(reader, frame, "b"), "pass " + pass);
      assertEquals(List.of("a", "b"), names(reader, empty), "pass " + pass);
    }

    // NumPy writes the first block again over the same file: the same size, little-endian this time.
    PythonPeer.run("""
        import sys, numpy as np
        np.save(sys.argv[1], np.arange(5, dtype='<i4') * 7)
        """, frame.resolve("__blocks_0__.npy").toString());
    for (int pass = 0; pass < 3; pass++) {
      assertEquals(List.of(0, 7, 14, 21, 28), column(reader, frame, "a"), "rewritten, pass " + pass);
      assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), column(reader, frame, "b"), "rewritten, pass " + pass);
    }
  }

  private static List<Object> column(FrameReader reader, Path dir, String name) throws IOException {
    try (NpyDirectorySource source = new NpyDirectorySource(dir); VectorSchemaRoot table = reader.read(source)) {
      FieldVector v = table.getVector(name);
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < v.getValueCount(); i++) {
        values.add(v.getObject(i));
      }
      return values;
    }
  }

  private static List<String> names(FrameReader reader, Path dir) throws IOException {
    try (NpyDirectorySource source = new NpyDirectorySource(dir); VectorSchemaRoot table = reader.read(source)) {
      assertEquals(0, table.getRowCount());
      return table.getSchema().getFields().stream().map(Field::getName).filter(n -> !n.startsWith("__")).toList();
    }
  }
}
