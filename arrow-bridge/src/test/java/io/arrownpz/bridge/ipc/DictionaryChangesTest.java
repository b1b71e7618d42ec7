package io.arrownpz.bridge.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.UnsupportedFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches whose dictionaries change, written to a Feather (IPC) file, which holds one dictionary per
 * column: pyarrow writes streams that replace their dictionaries and Parquet files whose row groups each
 * have their own; we convert them to Feather (uncompressed and ZSTD), and pyarrow reads the values of
 * the input back from our file, as does our own whole read. What a file cannot hold is refused.
 */
class DictionaryChangesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final String WRITE = """
      import sys, os, pyarrow as pa, pyarrow.ipc as ipc, pyarrow.parquet as pq
      d = sys.argv[1]
      def dict_array(indices, values, index_type=pa.int32()):
          return pa.DictionaryArray.from_arrays(pa.array(indices, index_type), pa.array(values))
      def stream(name, batches):
          with ipc.new_stream(os.path.join(d, name), batches[0].schema) as w:
              for b in batches:
                  w.write_batch(b)
      def batch(cat, **more):
          return pa.record_batch({'cat': cat, **more})
      # The same values in another order, then new values, then some of them again, with nulls.
      stream('reordered.arrows', [
          batch(dict_array([0, 1, None, 2], ['red', 'green', 'blue']), n=pa.array([1, 2, 3, 4])),
          batch(dict_array([2, 1, 0, None, 0], ['blue', 'red', 'green']), n=pa.array([5, 6, 7, 8, 9])),
          batch(dict_array([0, 1, 2, 3], ['violet', 'red', 'cyan', 'blue']), n=pa.array([10, 11, 12, 13])),
          batch(dict_array([], ['x']), n=pa.array([], pa.int64())),
          batch(dict_array([1, 0], ['cyan', 'violet']), n=pa.array([14, 15])),
      ])
      # Two dictionary columns, ints as values, one of them unchanged.
      stream('two.arrows', [
          pa.record_batch({'a': dict_array([0, 1], [10, 20]), 'b': dict_array([0, 0], ['k'])}),
          pa.record_batch({'a': dict_array([1, 0, 1], [30, 10]), 'b': dict_array([0, 0, 0], ['k'])}),
      ])
      # More values in all than int8 indices can number: refused.
      stream('overflow.arrows', [
          batch(dict_array(list(range(100)), [f'a{k}' for k in range(100)], pa.int8())),
          batch(dict_array(list(range(100)), [f'b{k}' for k in range(100)], pa.int8())),
      ])
      # A dictionary that changes inside a list: refused.
      lists = lambda values: pa.ListArray.from_arrays(pa.array([0, 1, 2]), dict_array([0, 1], values))
      stream('nested.arrows', [pa.record_batch({'l': lists(['p', 'q'])}), pa.record_batch({'l': lists(['q', 'r'])})])
      # Parquet: each row group has the dictionary of its own chunk.
      t = pa.table({'cat': pa.chunked_array([pa.array(['a', 'b', None, 'c'] * 50).dictionary_encode(),
                                             pa.array(['c', 'b', 'd', 'a'] * 50).dictionary_encode()])})
      pq.write_table(t, os.path.join(d, 'groups.parquet'), row_group_size=200)
      """;

  private static final String CHECK = """
      import sys, pyarrow as pa, pyarrow.ipc as ipc, pyarrow.parquet as pq
      a = sys.argv[1:]
      for src, out in zip(a[0::2], a[1::2]):
          want = pq.read_table(src) if src.endswith('.parquet') else ipc.open_stream(src).read_all()
          got = ipc.open_file(out).read_all()
          assert got.num_rows == want.num_rows, (out, got.num_rows, want.num_rows)
          for name in want.column_names:
              assert pa.types.is_dictionary(got[name].type) == pa.types.is_dictionary(want[name].type), (out, name)
              assert got[name].to_pylist() == want[name].to_pylist(), (out, name, got[name].to_pylist(), want[name].to_pylist())
      print(len(a) // 2)
      """;

  @Test
  void changingDictionariesAreKeptAsOneWithDeltas() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(WRITE, tmp.toString());
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (String name : List.of("reordered.arrows", "two.arrows", "groups.parquet")) {
      for (String codec : List.of("uncompressed", "zstd")) {
        Path input = tmp.resolve(name);
        Path output = tmp.resolve(name + "." + codec + ".feather");
        ConvertOptions options = ConvertOptions.DEFAULTS.withIpc(IpcCompression.named(codec));
        converter.convert(input, FileFormat.ofPath(input), output, FileFormat.FEATHER, options);
        args.add(input.toString());
        args.add(output.toString());
        // Our own reader applies the deltas too: a whole read of our file equals one of the input.
        try (VectorSchemaRoot ours = converter.read(output, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
             VectorSchemaRoot theirs = converter.read(input, FileFormat.ofPath(input), ConvertOptions.DEFAULTS)) {
          assertEquals(theirs.contentToTSVString(), ours.contentToTSVString(), output.toString());
        }
      }
    }
    // Through a symbolic link to an existing file: the file it names is replaced, the link stays.
    Path target = tmp.resolve("existing.feather");
    Files.writeString(target, "old");
    Path link = Files.createSymbolicLink(tmp.resolve("link.feather"), target.getFileName());
    converter.convert(tmp.resolve("groups.parquet"), FileFormat.PARQUET, link, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
    assertTrue(Files.isSymbolicLink(link));
    args.add(tmp.resolve("groups.parquet").toString());
    args.add(target.toString());
    assertEquals("7", PythonPeer.run(CHECK, args.toArray(String[]::new)).strip());
  }

  @Test
  void whatOneFileCannotHoldIsRefusedAndLeavesNothing() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(WRITE, tmp.toString());
    Converter converter = new Converter(memory.allocator());
    for (String[] c : new String[][] {
        {"overflow.arrows", "column 'cat': its batches' dictionaries hold 200 values together, more than its int8"},
        {"nested.arrows", "column 'l': its dictionary changes from one batch to the next inside a nested column"}}) {
      Path input = tmp.resolve(c[0]);
      Path output = tmp.resolve(c[0] + ".feather");
      UnsupportedFileException e = assertThrows(UnsupportedFileException.class, () ->
          converter.convert(input, FileFormat.IPC_STREAM, output, FileFormat.FEATHER, ConvertOptions.DEFAULTS));
      assertTrue(e.getMessage().startsWith(input.toString()), e.getMessage());
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertFalse(Files.exists(output), "a refused conversion left " + output);
      // An IPC stream holds them: each batch with its own dictionary.
      converter.convert(input, FileFormat.IPC_STREAM, tmp.resolve(c[0] + ".copy.arrows"), FileFormat.IPC_STREAM,
          ConvertOptions.DEFAULTS);
    }
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".")).toList());
    }
  }
}
