package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.UnsupportedFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files with dictionary columns, as pandas, pyarrow and polars write them, through our client and service
 * both ways: a Feather file of several batches sharing a dictionary, an IPC stream whose dictionary is
 * replaced between batches, a Parquet file whose row groups each have their own, a folder of Parquet
 * partitions with different dictionaries, zero rows, polars' Categorical and Enum. What is uploaded
 * ({@code put}) and what is fetched ({@code get}) is read back by pyarrow or polars and compared with its own
 * reading of the source: every value equal, and every dictionary column still dictionary-encoded (a pandas
 * categorical stays one).
 */
class DictionaryUploadsTest {
  private static final String[] SOURCES = {"batches.feather", "replaced.arrows", "groups.parquet", "empty.feather"};
  private static final String[] TARGETS = {"feather", "arrows", "parquet"};

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void filesWithDictionaryColumnsUploadEncoded() throws Exception {
    Path in = pandasFiles();
    Path served = Files.createDirectories(tmp.resolve("served"));
    try (FlightService service = start(served)) {
      for (String name : SOURCES) {
        Path input = in.resolve(name);
        for (String target : TARGETS) {
          FlightFiles.put(input, FileFormat.ofPath(input), URI.create(service.location() + "/" + name + "." + target),
              ClientOptions.DEFAULTS, memory.allocator());
        }
      }
      assertEquals(0, service.allocatedBytes(), "the uploads gave back what they held");
    }
    assertEquals("12 copies equal", PythonPeer.run(CHECK, in.toString(), served.toString()).strip());
  }

  @Test
  void datasetsWithDictionaryColumnsAreFetchedEncoded() throws Exception {
    Path in = pandasFiles();
    Path got = Files.createDirectories(tmp.resolve("got"));
    try (FlightService service = start(in)) {
      for (String name : new String[] {"batches.feather", "replaced.arrows", "groups.parquet", "empty.feather", "parts"}) {
        for (String target : TARGETS) {
          Path output = got.resolve(name + "." + target);
          FlightFiles.get(URI.create(service.location() + "/" + name), output, FileFormat.ofPath(output),
              ClientOptions.DEFAULTS, memory.allocator());
        }
      }
      // NumPy has no categorical type: refused as convert refuses it, unless the nearest dtype is asked for.
      URI categorical = URI.create(service.location() + "/batches.feather");
      Path npz = got.resolve("colours.npz");
      UnsupportedFileException refused = assertThrows(UnsupportedFileException.class, () -> FlightFiles.get(
          categorical, npz, FileFormat.NPZ, ClientOptions.DEFAULTS, memory.allocator()));
      assertTrue(refused.getMessage().contains("batches.feather: cannot be written as npz: column 'colour': "
          + "dictionary-encoded"), refused.getMessage());
      assertFalse(Files.exists(npz));
      FlightFiles.get(categorical, npz, FileFormat.NPZ, ClientOptions.DEFAULTS, ConvertOptions.DEFAULTS.withWrite(
          ConvertOptions.DEFAULTS.write().withNearestDtype(true)), memory.allocator());
      assertEquals(0, service.allocatedBytes(), "the answers gave back what they held");
    }
    assertEquals("15 copies equal", PythonPeer.run(CHECK_GOT, in.toString(), got.toString()).strip());
    assertEquals("300 colours", PythonPeer.run(NPZ_COLOURS, got.resolve("colours.npz").toString()).strip());
  }

  /**
   * Our uploads to pyarrow.flight's own server, which stores what it reads: dictionaries replaced between
   * batches arrive as replacements pyarrow applies (the stream's, and a Parquet file's row groups').
   */
  @Test
  void uploadsToAPyarrowServerKeepTheirDictionaries() throws Exception {
    Path in = pandasFiles();
    Path stored = Files.createDirectories(tmp.resolve("stored"));
    Process server = new ProcessBuilder(PythonPeer.python(), "-c", PYARROW_SERVER, stored.toString())
        .redirectErrorStream(true).start();
    try {
      String port = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8)).readLine();
      for (String name : SOURCES) {
        Path input = in.resolve(name);
        FlightFiles.put(input, FileFormat.ofPath(input), URI.create("grpc://127.0.0.1:" + port.strip() + "/" + name
            + ".feather"), ClientOptions.DEFAULTS, memory.allocator());
      }
    } finally {
      server.destroyForcibly();
      server.waitFor();
    }
    assertEquals("4 copies equal", PythonPeer.run(COMPARE + """
        src, stored = sys.argv[1], sys.argv[2]
        for name in ("batches.feather", "replaced.arrows", "groups.parquet", "empty.feather"):
            compare(os.path.join(src, name), os.path.join(stored, name + ".feather"))
        print("4 copies equal")
        """, in.toString(), stored.toString()).strip());
  }

  private static final String PYARROW_SERVER = """
      import sys, os
      import pyarrow.flight as fl, pyarrow.feather as feather

      class Store(fl.FlightServerBase):
          def __init__(self, root):
              super().__init__("grpc://127.0.0.1:0")
              self.root = root

          def do_put(self, context, descriptor, reader, writer):
              feather.write_feather(reader.read_all(), os.path.join(self.root, descriptor.path[0].decode()),
                                    compression="uncompressed")

      server = Store(sys.argv[1])
      print(server.port, flush=True)
      server.serve()
      """;

  /**
   * polars' Categorical and Enum columns (dictionaries of string views, indexed by uint32 and uint8) through
   * the service both ways, from its Feather, IPC stream and Parquet files: polars reads every copy back as
   * Categorical and Enum, with its own values.
   */
  @Test
  void polarsCategoricalsStayCategorical() throws Exception {
    PythonPeer.require("pyarrow.flight", "polars");
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path copies = Files.createDirectories(tmp.resolve("copies"));
    PythonPeer.run("""
        import sys, os, polars as pl
        out = sys.argv[1]
        df = pl.DataFrame({"c": pl.Series(["x", "y", None, "x"] * 500, dtype=pl.Categorical),
                           "e": pl.Series(["a", "b", "a", "c"] * 500, dtype=pl.Enum(["a", "b", "c"])),
                           "n": range(2000)})
        df.write_ipc(os.path.join(out, "pl.feather"))
        df.write_ipc_stream(os.path.join(out, "pl.arrows"))
        df.write_parquet(os.path.join(out, "pl.parquet"))
        """, in.toString());
    try (FlightService service = start(in)) {
      for (String name : new String[] {"pl.feather", "pl.arrows", "pl.parquet"}) {
        Path input = in.resolve(name);
        URI uploaded = URI.create(service.location() + "/up/" + name + ".feather");
        FlightFiles.put(input, FileFormat.ofPath(input), uploaded, ClientOptions.DEFAULTS, memory.allocator());
        Path output = copies.resolve(name + ".parquet");
        FlightFiles.get(uploaded, output, FileFormat.PARQUET, ClientOptions.DEFAULTS, memory.allocator());
      }
      assertEquals(0, service.allocatedBytes(), "the calls gave back what they held");
    }
    assertEquals("6 copies equal", PythonPeer.run("""
        import sys, os, polars as pl
        src, copies = sys.argv[1], sys.argv[2]
        want = pl.read_ipc(os.path.join(src, "pl.feather"))
        paths = [os.path.join(src, "up", n + ".feather") for n in ("pl.feather", "pl.arrows", "pl.parquet")]
        paths += [os.path.join(copies, n + ".parquet") for n in ("pl.feather", "pl.arrows", "pl.parquet")]
        for p in paths:
            got = pl.read_parquet(p) if p.endswith(".parquet") else pl.read_ipc(p)
            assert got.schema == want.schema, (p, got.schema)
            assert got.cast(pl.String).equals(want.cast(pl.String)), p
        print("%d copies equal" % len(paths))
        """, in.toString(), copies.toString()).strip());
  }

  /** An upload whose dictionary indices run past the dictionary is refused, naming the column; nothing is written. */
  @Test
  void anUploadWithIndicesOutsideItsDictionaryIsRefused() throws Exception {
    PythonPeer.require("pyarrow.flight");
    Path served = Files.createDirectories(tmp.resolve("served"));
    try (FlightService service = start(served)) {
      String said = PythonPeer.run(BAD_UPLOAD, service.location().toString()).strip();
      assertTrue(said.startsWith("INVALID_ARGUMENT"), said);
      assertTrue(said.contains("bad.feather: batch 1: column 'k': dictionary index 5 at row 1 is outside its "
          + "dictionary of 2 values"), said);
      assertEquals(0, service.allocatedBytes(), "the upload gave back what it held");
    }
    try (var left = Files.list(served)) {
      assertEquals(java.util.List.of(), left.toList(), "nothing written");
    }
  }

  /** The folder of files pandas and pyarrow write ({@link #WRITE}). */
  private Path pandasFiles() throws java.io.IOException {
    PythonPeer.require("pyarrow.flight", "pandas");
    Path in = Files.createDirectories(tmp.resolve("in"));
    PythonPeer.run(WRITE, in.toString());
    return in;
  }

  private FlightService start(Path dir) throws java.io.IOException {
    return FlightService.start(dir, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withLimits(4, 1000, 1L << 30),
        memory.allocator());
  }

  private static final String WRITE = """
      import sys, os
      import pandas as pd, pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc, pyarrow.parquet as pq
      out = sys.argv[1]
      colours = pd.Categorical(["red", "green", None, "blue", "red", "green"] * 50)
      df = pd.DataFrame({"colour": colours, "n": range(300)})
      table = pa.Table.from_pandas(df, preserve_index=False)
      feather.write_feather(table, os.path.join(out, "batches.feather"), chunksize=70, compression="uncompressed")
      feather.write_feather(table.slice(0, 0), os.path.join(out, "empty.feather"), compression="uncompressed")
      # A stream may replace a dictionary between batches: the second batch's indices mean other words.
      first = pa.record_batch([pa.array(["a", "b", "a"]).dictionary_encode(), pa.array([1, 2, 3])], ["w", "n"])
      second = pa.record_batch([pa.DictionaryArray.from_arrays(pa.array([1, 0, 1], pa.int32()),
                                                               pa.array(["x", "y"])), pa.array([4, 5, 6])], ["w", "n"])
      with ipc.new_stream(os.path.join(out, "replaced.arrows"), first.schema) as w:
          w.write_batch(first)
          w.write_batch(second)
      # Row groups of 100 rows, each with a dictionary of its own; pandas' metadata has it read back as one.
      df2 = pd.DataFrame({"colour": pd.Categorical(["c%d" % (k // 100 * 7 + k % 3) for k in range(300)]),
                          "n": range(300)})
      pq.write_table(pa.Table.from_pandas(df2, preserve_index=False), os.path.join(out, "groups.parquet"),
                     row_group_size=100)
      # A folder of partitions (one dataset, an endpoint per file), each file with a dictionary of its own.
      os.makedirs(os.path.join(out, "parts"))
      for k in range(3):
          part = pd.DataFrame({"colour": pd.Categorical(["p%d" % (k * 10 + j % (k + 2)) for j in range(40)]),
                               "n": range(k * 40, k * 40 + 40)})
          pq.write_table(pa.Table.from_pandas(part, preserve_index=False), os.path.join(out, "parts", "%d.parquet" % k))
      """;

  /** Reads every copy and its source with pyarrow: values equal, dictionary columns still dictionaries. */
  private static final String COMPARE = """
      import sys, os, glob
      import pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc, pyarrow.parquet as pq

      def read(path):
          if os.path.isdir(path):
              return pa.concat_tables([pq.read_table(p) for p in sorted(glob.glob(path + "/*.parquet"))])
          if path.endswith(".parquet"):
              return pq.read_table(path)
          if path.endswith(".arrows"):
              return ipc.open_stream(path).read_all()
          return feather.read_table(path)

      def values(table):
          return {name: [None if v is None else str(v) for v in
                         (col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col).to_pylist()]
                  for name, col in zip(table.column_names, table.columns)}

      def dictionaries(table):
          return [name for name, col in zip(table.column_names, table.columns) if pa.types.is_dictionary(col.type)]

      def compare(source, copy):
          want, got = read(source), read(copy)
          assert values(got) == values(want), (copy, {k: values(got)[k][:8] for k in got.column_names})
          assert dictionaries(got) == dictionaries(want) != [], (copy, got.schema)
      """;

  private static final String CHECK = COMPARE + """
      src, served = sys.argv[1], sys.argv[2]
      copies = 0
      for name in ("batches.feather", "replaced.arrows", "groups.parquet", "empty.feather"):
          for target in ("feather", "arrows", "parquet"):
              compare(os.path.join(src, name), os.path.join(served, name + "." + target))
              copies += 1
      print("%d copies equal" % copies)
      """;

  private static final String CHECK_GOT = COMPARE + """
      src, got = sys.argv[1], sys.argv[2]
      copies = 0
      for name in ("batches.feather", "replaced.arrows", "groups.parquet", "empty.feather", "parts"):
          for target in ("feather", "arrows", "parquet"):
              compare(os.path.join(src, name), os.path.join(got, name + "." + target))
              copies += 1
      print("%d copies equal" % copies)
      """;

  private static final String NPZ_COLOURS = """
      import sys, numpy as np
      z = np.load(sys.argv[1], allow_pickle=False)
      colours = list(z["colour"])
      assert colours[:4] == ["red", "green", "", "blue"] and z["colour.__mask__"][2], colours[:4]
      print("%d colours" % len(colours))
      """;

  private static final String BAD_UPLOAD = """
      import sys
      import pyarrow as pa, pyarrow.flight as fl
      good = pa.DictionaryArray.from_arrays(pa.array([0, 1, 0], pa.int8()), pa.array(["a", "b"]))
      bad = pa.DictionaryArray.from_arrays(pa.array([0, 5, 1], pa.int8()), pa.array(["a", "b"]), safe=False)
      schema = pa.schema([("k", good.type)])
      writer, _ = fl.connect(sys.argv[1]).do_put(fl.FlightDescriptor.for_path("bad.feather"), schema)
      try:
          writer.write_batch(pa.record_batch([good], schema=schema))
          writer.write_batch(pa.record_batch([bad], schema=schema))
          writer.close()
          print("accepted")
      except fl.FlightError as e:
          print(type(e).__name__.replace("Flight", "").upper(), e)
      except pa.ArrowInvalid as e:
          print("INVALID_ARGUMENT", e)
      """;
}
