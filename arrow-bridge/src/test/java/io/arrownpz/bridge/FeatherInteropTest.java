package io.arrownpz.bridge;

import io.arrownpz.bridge.ipc.FeatherFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arrownpz.arrow.FixedShapeTensorType;
import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * NPY to Feather and back, checked by the real peers: pyarrow reads our Feather files and finds the
 * values NumPy has; converting back gives NumPy the original dtype and values; Feather files pyarrow
 * writes convert to NPY files NumPy agrees with.
 */
class FeatherInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void pyarrowReadsOurFeatherAndNumpyReadsItBack() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (JsonNode entry : Fixtures.ofKind("npy")) {
      Path original = Fixtures.path(entry.get("file").asText());
      String stem = Converter.stem(original);
      Path feather = tmp.resolve(stem + ".feather");
      Path back = tmp.resolve(stem + ".back.npy");
      converter.convert(original, FileFormat.NPY, feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
      converter.convert(feather, FileFormat.FEATHER, back, FileFormat.NPY, ConvertOptions.DEFAULTS);
      args.add(original.toString());
      args.add(feather.toString());
      args.add(back.toString());
    }
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather
        INT64_MIN = -2**63
        def native(a):
            return a.astype(a.dtype.newbyteorder('=')) if a.dtype.byteorder == '>' else a
        a = sys.argv[1:]
        for original, ours, back in zip(a[0::3], a[1::3], a[2::3]):
            orig = native(np.load(original))
            table = feather.read_table(ours)
            assert table.num_columns == 1, ours
            col = table.column(0).combine_chunks()
            if orig.ndim >= 2:
                assert isinstance(col.type, pa.FixedShapeTensorType), (ours, col.type)
                assert list(col.type.shape) == list(orig.shape[1:]), (ours, col.type.shape)
                flat = col.storage.flatten()
            else:
                flat = col
            want = orig.reshape(-1)
            k = orig.dtype.kind
            if k in 'iufb':
                got = flat.to_numpy(zero_copy_only=False)
                assert got.dtype == want.dtype, (ours, got.dtype, want.dtype)
                assert np.array_equal(got, want, equal_nan=(k == 'f')), ours
            elif k == 'c':
                got = flat.flatten().to_numpy().view(want.dtype)
                assert np.array_equal(got, want, equal_nan=True), ours
            elif k in 'mM':
                ints = flat.cast(pa.int32()).cast(pa.int64()) if pa.types.is_date32(flat.type) else flat.cast(pa.int64())
                got = ints.fill_null(INT64_MIN).to_numpy()
                assert np.array_equal(got, want.view('i8')), ours
            elif k == 'V':
                assert flat.to_pylist() == [x.tobytes() for x in want], ours
            else:
                assert flat.to_pylist() == want.tolist(), ours
            meta = table.schema.field(0).metadata
            assert meta[b'numpy.descr'] == np.load(original).dtype.str.encode(), (ours, meta)
            b = np.load(back)
            o = np.load(original)
            assert b.dtype == o.dtype and b.shape == o.shape, (back, b.dtype, b.shape)
            assert b.tobytes(order='A') == o.tobytes(order='A') or np.array_equal(b, o), back
        print(len(a) // 3)
        """, args.toArray(String[]::new));
    assertEquals(Fixtures.ofKind("npy").size(), Integer.parseInt(out.strip()));
  }

  @Test
  void featherWrittenByPyarrowConvertsToNpy() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    Path dir = tmp;
    PythonPeer.run("""
        import sys, os, numpy as np, pyarrow as pa, pyarrow.feather as feather
        d = sys.argv[1]
        cols = {
            'f8': pa.array([1.5, None, -3.0]),
            'i2': pa.array([1, -2, 300], pa.int16()),
            'ts': pa.array([0, 1_000_000, None], pa.timestamp('us')),
            'text': pa.array(['a', 'βγ', '😀!']),
            'flag': pa.array([True, False, True]),
        }
        for name, arr in cols.items():
            feather.write_feather(pa.table({name: arr}), os.path.join(d, name + '.feather'), compression='uncompressed')
        tensor = pa.FixedShapeTensorArray.from_numpy_ndarray(np.arange(24, dtype='<i4').reshape(2, 3, 4))
        feather.write_feather(pa.table({'t': tensor}), os.path.join(d, 't.feather'), compression='uncompressed')
        """, dir.toString());
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (String name : List.of("f8", "i2", "ts", "text", "flag", "t")) {
      Path npy = dir.resolve(name + ".npy");
      converter.convert(dir.resolve(name + ".feather"), FileFormat.FEATHER, npy, FileFormat.NPY, ConvertOptions.DEFAULTS);
      args.add(npy.toString());
    }
    try (VectorSchemaRoot t = FeatherFiles.read(dir.resolve("t.feather"), memory.allocator())) {
      assertTrue(t.getSchema().getFields().get(0).getType() instanceof FixedShapeTensorType);
      assertEquals(2, t.getRowCount());
      assertEquals(null, t.getSchema().getFields().get(0).getMetadata().get(NumpyMetadata.DESCR));
    }
    String out = PythonPeer.run("""
        import sys, os, numpy as np
        got = {os.path.basename(p)[:-4]: np.load(p) for p in sys.argv[1:]}
        assert np.array_equal(got['f8'], np.array([1.5, np.nan, -3.0]), equal_nan=True)
        assert got['i2'].dtype == np.dtype('<i2') and got['i2'].tolist() == [1, -2, 300]
        assert got['ts'].dtype == np.dtype('<M8[us]')
        assert got['ts'].view('i8').tolist() == [0, 1_000_000, -2**63]
        assert got['text'].tolist() == ['a', 'βγ', '😀!'] and got['text'].dtype == np.dtype('<U2')
        assert got['flag'].dtype == np.dtype('bool') and got['flag'].tolist() == [True, False, True]
        assert np.array_equal(got['t'], np.arange(24, dtype='<i4').reshape(2, 3, 4))
        print('ok')
        """, args.toArray(String[]::new));
    assertEquals("ok", out.strip());
  }
}
