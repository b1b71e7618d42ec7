package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frames written by us, checked by the real peers: NumPy loads every member of our NPZ and NPY directory
 * and finds StaticFrame's labels and column values; pandas rebuilds the index and columns from the
 * `pandas` metadata of our Feather.
 */
class FrameInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final String COMMON = """
      import sys, os, json, numpy as np, pandas as pd
      def members(path):
          if os.path.isdir(path):
              return {n: (open(os.path.join(path, n), 'rb').read() if n.endswith('.json') else np.load(os.path.join(path, n)))
                      for n in os.listdir(path)}
          z = np.load(path)
          return {n + ('.npy' if not n.endswith('.json') else ''): (z.zip.read(n) if n.endswith('.json') else z[n]) for n in z.files}
      def columns(m):
          depth = json.loads(m['__meta__.json'])['__depths__'][0]
          out = []
          for i in range(depth):
              b = m[f'__blocks_{i}__.npy']
              out.extend([b] if b.ndim == 1 else [b[:, j] for j in range(b.shape[1])])
          return out
      def same(a, b):
          if a.dtype != b.dtype or a.shape != b.shape:
              return False
          if a.dtype.kind in 'mM':
              return np.array_equal(a.view('i8'), b.view('i8'))
          return np.array_equal(a, b, equal_nan=a.dtype.kind in 'fc')
      """;

  @Test
  void numpyReadsEveryMemberOfOurFrames() throws IOException {
    PythonPeer.require("numpy", "pandas");
    Converter c = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    List<JsonNode> frames = new ArrayList<>(Fixtures.ofKind("staticframe-npz"));
    frames.addAll(Fixtures.ofKind("staticframe-npy-dir"));
    int n = 0;
    for (JsonNode entry : frames) {
      Path theirs = Fixtures.path(entry.get("file").asText());
      FileFormat from = FileFormat.ofPath(theirs);
      Path npz = tmp.resolve("f" + n + ".npz");
      Path dir = tmp.resolve("f" + n + ".dir");
      c.convert(theirs, from, npz, FileFormat.NPZ, ConvertOptions.DEFAULTS);
      c.convert(theirs, from, dir, FileFormat.NPY_DIR, ConvertOptions.DEFAULTS);
      args.add(theirs.toString());
      args.add(npz.toString());
      args.add(dir.toString());
      n++;
    }
    String out = PythonPeer.run(COMMON + """
        a = sys.argv[1:]
        for theirs, npz, d in zip(a[0::3], a[1::3], a[2::3]):
            t = members(theirs)
            for ours in (members(npz), members(d)):
                assert ours['__meta__.json'] == t['__meta__.json'], (npz, ours['__meta__.json'], t['__meta__.json'])
                for name in t:
                    if name.startswith('__values_'):
                        assert same(ours[name], t[name]), (npz, name)
                tc, oc = columns(t), columns(ours)
                assert len(tc) == len(oc), npz
                for j, (x, y) in enumerate(zip(tc, oc)):
                    assert same(x, y), (npz, j, x.dtype, y.dtype)
        print(len(a) // 3)
        """, args.toArray(String[]::new));
    assertEquals(frames.size(), Integer.parseInt(out.strip()));
  }

  @Test
  void pandasRebuildsIndexAndColumnsFromOurFeather() throws IOException {
    PythonPeer.require("numpy", "pandas", "pyarrow");
    Converter c = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (String name : List.of("simple", "hierarchy", "auto_index", "consolidated_2d", "fortran_2d", "datetimes",
        "unicode_labels", "year_month", "empty_rows", "panel_wide_mixed")) {
      Path theirs = Fixtures.path("sf/" + name + ".npz");
      Path feather = tmp.resolve(name + ".feather");
      c.convert(theirs, FileFormat.NPZ, feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
      args.add(theirs.toString());
      args.add(feather.toString());
    }
    String out = PythonPeer.run(COMMON + """
        import pyarrow.feather as feather
        def arrow_units(arr):
            # NumPy units Arrow has no type for travel as int64 counts (docs/FORMAT.md section 5).
            if arr.dtype.kind == 'M' and np.datetime_data(arr.dtype)[0] not in ('s', 'ms', 'us', 'ns', 'D'):
                return arr.view('i8')
            return arr
        def same_level(got, want):
            want = arrow_units(want)
            if want.dtype.kind == 'M':
                return list(pd.to_datetime(pd.Index(got)).values.astype('datetime64[ns]')) == list(want.astype('datetime64[ns]'))
            return list(got) == list(want)
        a = sys.argv[1:]
        for theirs, path in zip(a[0::2], a[1::2]):
            t = members(theirs)
            meta = json.loads(t['__meta__.json'])
            # date_as_object=False: the datetimes fixture holds days far outside datetime.date's years.
            df = feather.read_table(path).to_pandas(date_as_object=False)
            blocks, index_depth, columns_depth = meta['__depths__']
            names = meta['__names__']
            if '__values_index_0__.npy' in t:
                levels = [t[f'__values_index_{i}__.npy'] for i in range(index_depth)]
                for i, level in enumerate(levels):
                    assert same_level(df.index.get_level_values(i), level), (path, i, df.index)
                want_names = names[1] if index_depth > 1 else [names[1]]
                assert list(df.index.names) == list(want_names), (path, df.index.names, want_names)
            else:
                assert isinstance(df.index, pd.RangeIndex) and len(df.index) == len(df), (path, df.index)
            if '__values_columns_0__.npy' in t:
                labels = [t[f'__values_columns_{i}__.npy'] for i in range(columns_depth)]
                want = list(zip(*[l.tolist() for l in labels])) if columns_depth > 1 else labels[0].tolist()
                assert list(df.columns) == want, (path, list(df.columns)[:5], want[:5])
            for j, col in enumerate(columns(t)):
                got = df.iloc[:, j].to_numpy()
                col = arrow_units(col)
                if col.dtype.kind in 'fiub':
                    assert np.array_equal(got.astype(col.dtype), col, equal_nan=col.dtype.kind == 'f'), (path, j)
                elif col.dtype.kind == 'U':
                    assert list(got) == col.tolist(), (path, j)
        print(len(a) // 2)
        """, args.toArray(String[]::new));
    assertEquals(10, Integer.parseInt(out.strip()));
  }
}
