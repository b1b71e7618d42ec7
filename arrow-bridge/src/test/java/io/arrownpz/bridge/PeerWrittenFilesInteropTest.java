package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that polars, DuckDB and pandas write themselves, each of several record batches or row groups
 * and with each tool's own types (polars' string and binary views, inside lists and structs too, its
 * categoricals and arrays; DuckDB's hugeints, UUIDs, maps and enums; pandas' nullable and categorical
 * columns and its index), with zero rows too. Every file is converted to every target, and read whole (its batches joined)
 * and written as Feather; pyarrow checks each output against its own reading of the input, with the
 * script that checks every Arrow type.
 */
class PeerWrittenFilesInteropTest {
  private static final List<String> TARGETS = List.of("feather", "arrows", "parquet", "npz", "npy-dir");

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void filesPolarsDuckdbAndPandasWriteConvertWithTheirValues() throws IOException {
    PythonPeer.require("numpy", "pyarrow", "polars", "duckdb", "pandas");
    Path in = Files.createDirectories(tmp.resolve("in"));
    List<String> inputs = PythonPeer.run(InteropScripts.text("write_peer_files.py"), in.toString()).strip().lines().toList();
    assertTrue(inputs.size() >= 12, "the peers wrote " + inputs);

    Converter converter = new Converter(memory.allocator());
    ConversionCases cases = new ConversionCases(converter);
    for (String name : inputs) {
      Path input = in.resolve(name);
      // Read whole: the batches joined into one table (dictionary columns decoded), then written as it is.
      Path whole = Files.createDirectories(tmp.resolve("whole")).resolve(name + ".feather");
      try (VectorSchemaRoot table = converter.read(input, FileFormat.ofPath(input), ConvertOptions.DEFAULTS)) {
        FeatherFiles.write(table, whole);
      }
      cases.add(input.toString(), "feather", whole).put("decoded", true);
      for (String target : TARGETS) {
        FileFormat to = FileFormat.named(target);
        Path folder = Files.createDirectories(tmp.resolve(target));
        Path output = folder.resolve(name + (to == FileFormat.NPY_DIR ? "" : DirectoryConverter.extension(to)));
        String message = cases.convert(input, input.toString(), target, output, folder.resolve(name + ".back.feather"));
        // Only NumPy lacks types these tools write (time zones, categoricals, nested columns); the files
        // of NumPy's types alone (polars' string and binary views among them) go everywhere they fit.
        assertTrue(message == null || ConversionCases.isNumpy(target) && !fitsNumpy(name, target),
            name + " -> " + target + " refused: " + message);
      }
    }
    String verdict = cases.verdict(tmp.resolve("cases.json"));
    System.out.println("PeerWrittenFilesInteropTest: " + inputs.size() + " files: " + verdict);
    assertEquals(cases.clean(), verdict);
    assertTrue(cases.written() >= 4 * inputs.size(), verdict);
    // The tools read back what we made of their own files: polars our Feather, streams and Parquet of its
    // files, DuckDB our Parquet of its own (its types, UUIDs among them, and every row).
    String readBack = PythonPeer.run("""
        import sys, os, polars as pl, duckdb
        tmp, names = sys.argv[1], sys.argv[2:]
        def polars_read(path):
            if path.endswith('.parquet'):
                return pl.read_parquet(path)
            return pl.read_ipc_stream(path) if path.endswith('.arrows') else pl.read_ipc(path, memory_map=False)
        checked = 0
        for name in names:
            source = os.path.join(tmp, 'in', name)
            if name.startswith(('polars', 'zero_polars')):
                want = polars_read(source)
                for target in ('feather', 'arrows', 'parquet'):
                    got = polars_read(os.path.join(tmp, target, name + '.' + target))
                    assert got.schema == want.schema and got.equals(want), (name, target, got.schema, want.schema)
                    checked += 1
            if name.startswith(('duckdb', 'zero_duckdb')) and name.endswith('.parquet'):
                out = os.path.join(tmp, 'parquet', name + '.parquet')
                types = lambda p: [r[:2] for r in duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{p}')").fetchall()]
                assert types(out) == types(source), (name, types(out), types(source))
                extra = duckdb.sql(f"SELECT count(*) FROM (SELECT * FROM read_parquet('{source}') EXCEPT ALL "
                                   f"SELECT * FROM read_parquet('{out}'))").fetchone()[0]
                assert extra == 0, (name, extra)
                checked += 1
        print(checked)
        """, java.util.stream.Stream.concat(java.util.stream.Stream.of(tmp.toString()), inputs.stream())
        .toArray(String[]::new));
    long expected = 3 * inputs.stream().filter(n -> n.startsWith("polars") || n.startsWith("zero_polars")).count()
        + inputs.stream().filter(n -> n.contains("duckdb") && n.endsWith(".parquet")).count();
    assertEquals(String.valueOf(expected), readBack.strip());
  }

  /**
   * polars' Int128 columns are stored as 128-bit Arrow integers, a width the Arrow format does not define (pyarrow
   * refuses them too): refused in one line that names the column, top-level or inside a struct, from Feather, an
   * IPC stream and Parquet (where Arrow C++ does not say which column; the footer's stored Arrow schema does).
   */
  @Test
  void polarsInt128ColumnsAreRefusedWithTheColumnNamed() throws IOException {
    PythonPeer.require("polars");
    PythonPeer.run("""
        import sys, os, polars as pl
        out = sys.argv[1]
        flat = pl.DataFrame({"a": [1, 2, 3], "big": pl.Series([1, -2, 3], dtype=pl.Int128)})
        nested = pl.DataFrame({"a": [1, 2], "nest": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]},
                              schema={"a": pl.Int64, "nest": pl.Struct({"x": pl.Int64, "y": pl.Int128})})
        for name, df in (("flat", flat), ("nested", nested)):
            df.write_ipc(os.path.join(out, name + ".feather"))
            df.write_ipc_stream(os.path.join(out, name + ".arrows"))
            df.write_parquet(os.path.join(out, name + ".parquet"))
        """, tmp.toString());
    Converter converter = new Converter(memory.allocator());
    for (String name : new String[] {"flat", "nested"}) {
      for (String extension : new String[] {".feather", ".arrows", ".parquet"}) {
        Path input = tmp.resolve(name + extension);
        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
            () -> converter.read(input, FileFormat.ofPath(input), ConvertOptions.DEFAULTS).close(), input.toString());
        String column = name.equals("flat") ? "big" : "nest";
        assertTrue(refused.getMessage().contains(input.toString()) && refused.getMessage().contains("column '" + column + "'")
            && refused.getMessage().contains("128-bit integers") && !refused.getMessage().contains("\n"), refused.getMessage());
      }
    }
  }

  /**
   * Dictionary indices that run past their dictionary (pyarrow writes them when asked not to check, and
   * refuses them on reading): refused in one line naming the file, the batch and the column, at the top level
   * and inside a list, in every batch, whatever the output, which is not written. Before, Feather and IPC
   * outputs were copies of the bad indices and the others failed without naming the column.
   */
  @Test
  void dictionaryIndicesOutsideTheirDictionaryAreRefused() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, os, pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc
        out = sys.argv[1]
        words = pa.array(["a", "b"])
        good = pa.DictionaryArray.from_arrays(pa.array([0, 1, 0], pa.int8()), words)
        bad = pa.DictionaryArray.from_arrays(pa.array([0, 5, 1], pa.int8()), words, safe=False)
        negative = pa.DictionaryArray.from_arrays(pa.array([0, -1, 1], pa.int8()), words, safe=False)
        for name, second in (("past", bad), ("negative", negative)):
            schema = pa.schema([("n", pa.int64()), ("k", good.type)])
            batches = [pa.record_batch([pa.array([1, 2, 3]), good], schema=schema),
                       pa.record_batch([pa.array([4, 5, 6]), second], schema=schema)]
            with ipc.new_file(os.path.join(out, name + ".feather"), schema) as w:
                for b in batches:
                    w.write_batch(b)
            with ipc.new_stream(os.path.join(out, name + ".arrows"), schema) as w:
                for b in batches:
                    w.write_batch(b)
        listed = pa.ListArray.from_arrays(pa.array([0, 2, 3], pa.int32()), bad)
        feather.write_feather(pa.table({"k": listed}), os.path.join(out, "inlist.feather"), compression="uncompressed")
        """, tmp.toString());
    Converter converter = new Converter(memory.allocator());
    String[][] cases = {{"past.feather", "batch 1", "index 5 at row 1"}, {"past.arrows", "", "index 5 at row 1"},
        {"negative.feather", "batch 1", "index -1 at row 1"}, {"inlist.feather", "batch 0", "index 5 at row 1"}};
    for (String[] c : cases) {
      Path input = tmp.resolve(c[0]);
      for (String target : new String[] {"out.feather", "out.arrows", "out.parquet", "out.npz"}) {
        Path output = tmp.resolve(c[0] + "." + target);
        IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> converter.convert(
            input, FileFormat.ofPath(input), output, FileFormat.ofPath(output),
            ConvertOptions.DEFAULTS.withWrite(ConvertOptions.DEFAULTS.write().withNearestDtype(true))), output.toString());
        String said = refused.getMessage();
        assertTrue(said.startsWith(input.toString()) && said.contains(c[1]) && said.contains("column 'k'")
            && said.contains("dictionary " + c[2] + " is outside its dictionary of 2 values") && !said.contains("\n")
            && !said.contains("Exception"), said);
        assertTrue(!java.nio.file.Files.exists(output), output + " not written");
      }
    }
  }

  /** Whether the file holds only what the NumPy target can: polars' files of NumPy types (a list column goes to a packed NPZ). */
  private static boolean fitsNumpy(String name, String target) {
    return name.endsWith("polars_numpy.feather") || name.equals("polars_lists.feather") && target.equals("npz");
  }
}
