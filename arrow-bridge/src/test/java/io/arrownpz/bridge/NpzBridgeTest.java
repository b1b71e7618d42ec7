package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Plain and packed NPZ through Feather and back: equal tables, and pyarrow reads the lists. */
class NpzBridgeTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void packedNpzThroughFeatherAndBack() throws IOException {
    Converter c = new Converter(memory.allocator());
    Path feather = tmp.resolve("events.feather");
    Path back = tmp.resolve("events.npz");
    c.convert(Fixtures.path("npz/packed_events.npz"), FileFormat.NPZ, feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
    c.convert(feather, FileFormat.FEATHER, back, FileFormat.NPZ, ConvertOptions.DEFAULTS);
    try (NpzArchive npz = NpzArchive.open(back)) {
      assertEquals(NpzLayout.PACKED, npz.layout());
    }
    try (VectorSchemaRoot original = c.read(Fixtures.path("npz/packed_events.npz"), FileFormat.NPZ, ConvertOptions.DEFAULTS);
         VectorSchemaRoot again = c.read(back, FileFormat.NPZ, ConvertOptions.DEFAULTS)) {
      assertTrue(original.equals(again), "NPZ -> Feather -> NPZ gives the same table");
      assertEquals(original.getSchema(), again.getSchema());
    }
    PythonPeer.require("pyarrow", "numpy");
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow.feather as f
        t = f.read_table(sys.argv[1])
        assert str(t.schema.field('Timestamp').type) == 'list<item: timestamp[s]>', t.schema
        assert t.column('EventName').to_pylist()[1] == ['Login', 'View']
        assert t.schema.field('Value').type.value_field.metadata[b'numpy.descr'] == b'<f8'
        z = np.load(sys.argv[2])
        assert z['Value'].dtype == np.float64 and len(z['Value']) == 9
        print('ok')
        """, feather.toString(), back.toString());
    assertEquals("ok", out.strip());
  }

  @Test
  void plainNpzThroughFeatherAndBack() throws IOException {
    Converter c = new Converter(memory.allocator());
    Path feather = tmp.resolve("many.feather");
    Path back = tmp.resolve("many.npz");
    c.convert(Fixtures.path("npz/many_members.npz"), FileFormat.NPZ, feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
    c.convert(feather, FileFormat.FEATHER, back, FileFormat.NPZ, ConvertOptions.DEFAULTS);
    try (VectorSchemaRoot original = c.read(Fixtures.path("npz/many_members.npz"), FileFormat.NPZ, ConvertOptions.DEFAULTS);
         VectorSchemaRoot again = c.read(back, FileFormat.NPZ, ConvertOptions.DEFAULTS)) {
      assertTrue(original.equals(again));
      assertEquals(340, again.getFieldVectors().size());
    }
  }
}
