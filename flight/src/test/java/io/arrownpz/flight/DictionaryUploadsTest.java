package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Our client's uploads ({@code arrow-npz put}) of files with dictionary columns, as pandas and pyarrow write
 * them: a Feather file of several batches sharing a dictionary, an IPC stream whose dictionary is replaced
 * between batches, a Parquet file whose row groups each have their own. Every upload is read back by
 * pyarrow and compared, value by value, with pyarrow's own reading of the file that was sent.
 */
class DictionaryUploadsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void filesWithDictionaryColumnsUploadWithTheirValues() throws Exception {
    PythonPeer.require("pyarrow.flight", "pandas");
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path served = Files.createDirectories(tmp.resolve("served"));
    PythonPeer.run(WRITE, in.toString());
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(4, 1000, 1L << 30), memory.allocator())) {
      for (String name : new String[] {"batches.feather", "replaced.arrows", "groups.parquet", "empty.feather"}) {
        Path input = in.resolve(name);
        for (String target : new String[] {"feather", "parquet"}) {
          FlightFiles.put(input, FileFormat.ofPath(input), URI.create(service.location() + "/" + name + "." + target),
              ClientOptions.DEFAULTS, memory.allocator());
        }
      }
      assertEquals(0, service.allocatedBytes(), "the uploads gave back what they held");
    }
    assertEquals("8 uploads equal", PythonPeer.run(CHECK, in.toString(), served.toString()).strip());
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
      """;

  private static final String CHECK = """
      import sys, os
      import pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc, pyarrow.parquet as pq
      src, served = sys.argv[1], sys.argv[2]

      def read(path):
          if path.endswith(".parquet"):
              return pq.read_table(path)
          if path.endswith(".arrows"):
              return ipc.open_stream(path).read_all()
          return feather.read_table(path)

      def values(table):
          return {name: [None if v is None else str(v) for v in
                         (col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col).to_pylist()]
                  for name, col in zip(table.column_names, table.columns)}

      equal = 0
      for name in ("batches.feather", "replaced.arrows", "groups.parquet", "empty.feather"):
          want = values(read(os.path.join(src, name)))
          for target in ("feather", "parquet"):
              got = values(read(os.path.join(served, name + "." + target)))
              assert got == want, (name, target, {k: got[k][:8] for k in got}, {k: want[k][:8] for k in want})
              equal += 1
      print("%d uploads equal" % equal)
      """;
}
