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

  /**
   * NaT is NumPy's null for datetime64 and timedelta64: an NPZ that NumPy wrote with NaT goes through
   * Feather, an IPC stream and Parquet and back to the members, dtypes and values NumPy wrote, no mask
   * member added; a packed NPZ's list of datetimes keeps its NaT the same way.
   */
  @Test
  void natRoundTripsWithoutMasks() throws IOException {
    PythonPeer.require("numpy");
    Path source = tmp.resolve("nat.npz");
    PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1],
            c0=np.arange(4, dtype=np.float64),
            c1=np.array(['2024-01-01T00:00:00.5', 'NaT', '1969-12-31', 'NaT'], dtype='datetime64[ns]'),
            c2=np.array([1, 2, 3, 4], dtype=np.int32),
            c3=np.array([5, 'NaT', -7, 0], dtype='timedelta64[ms]'),
            c4=np.array(['NaT', '2020-02-29', 'NaT', '1900-01-01'], dtype='datetime64[D]'),
            c5=np.array(['NaT', 10, 20, 30], dtype='datetime64[s]'))
        """, source.toString());
    Converter c = new Converter(memory.allocator());
    for (FileFormat via : java.util.List.of(FileFormat.FEATHER, FileFormat.IPC_STREAM, FileFormat.PARQUET)) {
      Path middle = tmp.resolve("nat." + via.formatName());
      Path back = tmp.resolve("back-" + via.name() + ".npz");
      c.convert(source, FileFormat.NPZ, middle, via, ConvertOptions.DEFAULTS);
      c.convert(middle, via, back, FileFormat.NPZ, ConvertOptions.DEFAULTS);
      String out = PythonPeer.run("""
          import sys, numpy as np
          a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
          assert list(a.keys()) == list(b.keys()), (list(a.keys()), list(b.keys()))
          for k in a.keys():
              assert a[k].dtype == b[k].dtype, (k, a[k].dtype, b[k].dtype)
              assert np.array_equal(a[k], b[k], equal_nan=True), (k, a[k], b[k])
          print('ok')
          """, source.toString(), back.toString());
      assertEquals("ok", out.strip(), via.name());
    }
  }

  /**
   * A valid Arrow timestamp holding the smallest int64 is NaT's bits: NumPy reads NaT, and so do we
   * (a null), as FORMAT.md says; a packed list of timestamps with a null writes NaT, no mask.
   */
  @Test
  void theSmallestInt64IsReadAsNat() throws IOException {
    PythonPeer.require("numpy");
    Path plain = tmp.resolve("min.npz");
    Path packed = tmp.resolve("packed.npz");
    try (org.apache.arrow.vector.TimeStampNanoVector t =
             new org.apache.arrow.vector.TimeStampNanoVector("t", memory.allocator());
         org.apache.arrow.vector.complex.ListVector lists =
             org.apache.arrow.vector.complex.ListVector.empty("l", memory.allocator())) {
      t.allocateNew(3);
      t.set(0, Long.MIN_VALUE);
      t.setNull(1);
      t.set(2, 7);
      t.setValueCount(3);
      io.arrownpz.npz.PlainNpz.write(VectorSchemaRoot.of(t), plain, io.arrownpz.npz.NpzWriteOptions.DEFAULTS);
      org.apache.arrow.vector.complex.impl.UnionListWriter w = lists.getWriter();
      w.setPosition(0);
      w.startList();
      w.timeStampNano().writeTimeStampNano(5);
      w.timeStampNano().writeNull();
      w.endList();
      w.setPosition(1);
      w.startList();
      w.timeStampNano().writeTimeStampNano(9);
      w.endList();
      lists.setValueCount(2);
      io.arrownpz.npz.PackedNpz.write(VectorSchemaRoot.of(lists), packed, io.arrownpz.npz.NpzWriteOptions.DEFAULTS);
    }
    String out = PythonPeer.run("""
        import sys, numpy as np
        z = np.load(sys.argv[1])
        assert list(z.keys()) == ['t'], list(z.keys())
        assert np.isnat(z['t']).tolist() == [True, True, False] and z['t'][2].astype(np.int64) == 7
        p = np.load(sys.argv[2])
        assert 'l.__mask__' not in p.keys(), list(p.keys())
        assert np.isnat(p['l']).tolist() == [False, True, False], p['l']
        print('ok')
        """, plain.toString(), packed.toString());
    assertEquals("ok", out.strip());
    Converter c = new Converter(memory.allocator());
    try (VectorSchemaRoot again = c.read(plain, FileFormat.NPZ, ConvertOptions.DEFAULTS)) {
      assertEquals(3, again.getRowCount());
      assertTrue(again.getVector("t").isNull(0) && again.getVector("t").isNull(1) && !again.getVector("t").isNull(2));
    }
    try (VectorSchemaRoot again = c.read(packed, FileFormat.NPZ, ConvertOptions.DEFAULTS)) {
      org.apache.arrow.vector.complex.ListVector l = (org.apache.arrow.vector.complex.ListVector) again.getVector("l");
      assertTrue(l.getDataVector().isNull(1) && !l.getDataVector().isNull(0));
    }
  }
}
