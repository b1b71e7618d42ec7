package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Arrow type pyarrow writes (nested, dictionary-encoded, views, unions, run-end encoded,
 * intervals, decimals of every width, time zones, several batches, no rows, compressed, Parquet from
 * pyarrow) converted to Feather, IPC stream, Parquet and NPZ, and pyarrow judges the result: exactly
 * the input's values and types, or a one-line refusal naming the input file, and only where the target
 * has no form for the data.
 */
class ArrowTypesInteropTest {
  private static final List<String> TARGETS = List.of("feather", "arrows", "parquet", "npz", "npy", "npy-dir");
  private static final Set<String> NUMPY = Set.of("npz", "npy", "npy-dir");
  /** Inputs that every target holds, NumPy's included, and must never be refused, but where noted. */
  private static final java.util.Map<String, Set<String>> PLAIN = java.util.Map.of(
      "str_nonull.feather", Set.copyOf(TARGETS),
      "ts_ns_nonull.feather", Set.copyOf(TARGETS),
      "tensor.feather", Set.of("feather", "arrows", "parquet", "npz", "npy"), // a frame's columns are 1-d
      "notnull.feather", Set.of("feather", "arrows", "parquet", "npz", "npy-dir")); // an .npy holds one column

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void everyTypeConvertsExactlyOrIsRefusedInOneLine() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    List<String> inputs = PythonPeer.run(InteropScripts.text("write_all_types.py"), in.toString()).strip().lines().toList();
    assertTrue(inputs.size() > 50, "pyarrow wrote " + inputs);

    ConversionCases cases = new ConversionCases(new Converter(memory.allocator()));
    for (String name : inputs) {
      Path input = in.resolve(name);
      for (String target : TARGETS) {
        FileFormat to = FileFormat.named(target);
        // Each target in a folder of its own, so that an .npy output's stem (its column name) is the input's.
        Path folder = Files.createDirectories(out.resolve(target));
        Path output = folder.resolve(Converter.stem(input) + (to == FileFormat.NPY_DIR ? "" : DirectoryConverter.extension(to)));
        String message = cases.convert(input, input.toString(), target, output,
            folder.resolve(Converter.stem(input) + ".back.feather"));
        if (message != null) {
          // Every input here is a valid file: a refusal must say what cannot be carried, never blame it.
          assertFalse(message.matches(".*(not a valid|corrupt|cannot be read|internal error).*"), message);
          assertFalse(PLAIN.getOrDefault(name, Set.of()).contains(target), name + " -> " + target + " refused: " + message);
        }
      }
    }
    for (String target : TARGETS) {
      try (var left = Files.list(out.resolve(target))) {
        assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList(),
            "temporary files left beside the outputs");
      }
    }
    String verdict = cases.verdict(tmp.resolve("cases.json"));
    System.out.println("ArrowTypesInteropTest: " + inputs.size() + " pyarrow files x " + TARGETS.size()
        + " targets: " + verdict);
    List<String> lines = verdict.lines().toList();
    assertEquals(1, lines.size(), "pyarrow found problems:\n" + verdict);
    assertEquals(cases.clean(), lines.get(0));
    assertTrue(cases.written() > 120, verdict);
  }

  /**
   * With --nearest-dtype, what NumPy cannot type exactly is written as its nearest dtype, and NumPy
   * reads the same instants, times, bytes and category values (several batches, not-null flags kept).
   */
  @Test
  void nearestDtypeWritesWhatNumpyCanHold() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    Path in = pyarrowFiles();
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (String name : List.of("ts_ms_tz", "ts_us_utc", "t64us", "t32s", "d64", "fsb_notnull", "list_dict")) {
      Path npz = tmp.resolve(name + ".npz");
      converter.convert(in.resolve(name + ".feather"), FileFormat.FEATHER, npz, FileFormat.NPZ,
          ConvertOptions.DEFAULTS.withNearestDtype(true));
      args.add(in.resolve(name + ".feather").toString());
      args.add(npz.toString());
    }
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather
        a = sys.argv[1:]
        for src, npz in zip(a[0::2], a[1::2]):
            col = feather.read_table(src).column(0).combine_chunks()
            with np.load(npz) as z:
                key = [k for k in z.files if not k.startswith('__') and '.__' not in k][0]
                got = z[key]
                t = col.type
                if pa.types.is_timestamp(t) or pa.types.is_time(t) or pa.types.is_date64(t):
                    ints = col.cast(pa.int64()) if not pa.types.is_time32(t) else col.cast(pa.int32()).cast(pa.int64())
                    valid = ~np.asarray(col.is_null())  # nulls are NaT
                    assert got.view('i8')[valid].tolist() == ints.drop_null().to_pylist(), (src, got)
                elif pa.types.is_fixed_size_binary(t):
                    assert got.tolist() == col.to_pylist(), (src, got)
                elif pa.types.is_list(t):
                    flat = col.flatten().cast(pa.string())
                    assert got.tolist() == flat.to_pylist(), (src, got, flat)
                else:
                    raise AssertionError(t)
        print(len(a) // 2)
        """, args.toArray(String[]::new));
    assertEquals("7", out.strip());
  }

  /**
   * An Arrow time of day is a local time: in our Parquet files DuckDB must see TIME, not TIME WITH TIME
   * ZONE (Arrow C++ 18.3 marks them adjusted to UTC; we correct the footer), and the values stay.
   */
  @Test
  void duckdbReadsOurParquetTimesAsLocalTimes() throws IOException {
    PythonPeer.require("pyarrow", "duckdb");
    Path in = pyarrowFiles();
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (String name : List.of("t32s", "t32ms", "t64us", "t64ns")) {
      Path parquet = tmp.resolve(name + ".parquet");
      converter.convert(in.resolve(name + ".feather"), FileFormat.FEATHER, parquet, FileFormat.PARQUET,
          ConvertOptions.DEFAULTS);
      args.add(parquet.toString());
    }
    String out = PythonPeer.run("""
        import sys, duckdb, pyarrow.parquet as pq
        for path in sys.argv[1:]:
            meta = pq.ParquetFile(path).schema.column(0)
            assert 'isAdjustedToUTC=false' in str(meta.logical_type) and str(meta.converted_type) == 'NONE', (path, meta)
            kinds = {r[0] for r in duckdb.sql(f"select typeof(columns(*)) from '{path}'").fetchall()}
            assert kinds <= {'TIME', 'TIME_NS'}, (path, kinds)
            last = pq.read_table(path).column(0).to_pylist()[2]
            assert (last.hour, last.minute, last.second) == (23, 59, 59), (path, last)
        print(len(sys.argv) - 1)
        """, args.toArray(String[]::new));
    assertEquals("4", out.strip());
  }

  /**
   * Nulls in a plain NPZ: each column with nulls gets a bool member NAME.__mask__ (NumPy's masked-array
   * convention), so NumPy sees the same nulls pyarrow does, and a real NaN stays apart from a null;
   * datetimes and timedeltas hold theirs as NaT instead.
   */
  @Test
  void plainNpzKeepsNullsAsMasksNumpyReads() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    Path in = pyarrowFiles();
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (String name : List.of("i8", "i16", "u32", "u64", "bool", "str", "bin", "f32", "f64", "d32", "ts_ns", "dur_s")) {
      Path npz = tmp.resolve(name + ".npz");
      converter.convert(in.resolve(name + ".feather"), FileFormat.FEATHER, npz, FileFormat.NPZ, ConvertOptions.DEFAULTS);
      args.add(in.resolve(name + ".feather").toString());
      args.add(npz.toString());
    }
    String out = PythonPeer.run("""
        import sys, math, numpy as np, pyarrow as pa, pyarrow.feather as feather
        a = sys.argv[1:]
        for src, npz in zip(a[0::2], a[1::2]):
            col = feather.read_table(src).column(0).combine_chunks()
            with np.load(npz) as z:
                key = [k for k in z.files if not k.endswith('.__mask__')][0]
                # NaT is NumPy's null for datetimes and timedeltas: they take no mask
                mask = np.isnat(z[key]) if z[key].dtype.kind in 'Mm' else z[key + '.__mask__']
                assert (key + '.__mask__' in z.files) == (z[key].dtype.kind not in 'Mm'), (npz, z.files)
                masked = np.ma.masked_array(z[key], mask)
                nulls = [i for i, m in enumerate(mask) if m]
                assert nulls == [i for i, v in enumerate(col.to_pylist()) if v is None], (npz, nulls)
                if pa.types.is_floating(col.type):
                    values = col.to_numpy(zero_copy_only=False)
                    for i, v in enumerate(col.to_pylist()):
                        if v is not None:
                            assert (math.isnan(v) and math.isnan(masked[i])) or masked[i] == v, (npz, i)
                elif pa.types.is_temporal(col.type):
                    ints = col.cast(pa.int64()) if not pa.types.is_date32(col.type) else col.cast(pa.int32()).cast(pa.int64())
                    got = [None if m else int(x) for x, m in zip(z[key].view('i8'), mask)]
                    assert got == ints.to_pylist(), (npz, got)
                else:
                    assert masked.tolist() == col.to_pylist(), (npz, masked.tolist(), col.to_pylist())
        print(len(a) // 2)
        """, args.toArray(String[]::new));
    assertEquals("12", out.strip());
  }

  /** pyarrow's file of each type (write_all_types.py) in a folder of the test's. */
  private Path pyarrowFiles() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    PythonPeer.run(InteropScripts.text("write_all_types.py"), in.toString());
    return in;
  }
}
