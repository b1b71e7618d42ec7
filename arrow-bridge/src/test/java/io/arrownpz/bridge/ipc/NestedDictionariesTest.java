package io.arrownpz.bridge.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.InteropScripts;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionaries inside dictionaries' values (arrow-testing's generated_nested_dictionary shapes:
 * {@code dictionary<list<dictionary<string>>>}, {@code dictionary<struct<dictionary<string>, int64>>}),
 * inside lists, structs and maps, written by pyarrow as a file and a stream, as a stream replacing every
 * dictionary between batches and one sending deltas, and as big-endian copies: each converted to Feather,
 * an IPC stream and Parquet gives pyarrow the values it reads from the input. A Feather file cannot hold
 * a nested dictionary that changes between batches: that one is refused in one line naming the column.
 */
class NestedDictionariesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final List<FileFormat> TARGETS = List.of(FileFormat.FEATHER, FileFormat.IPC_STREAM, FileFormat.PARQUET);

  @Test
  void nestedDictionariesConvertWithPyarrowsValues() throws Exception {
    PythonPeer.require("pyarrow");
    Path in = Files.createDirectories(tmp.resolve("in"));
    PythonPeer.run(InteropScripts.text("write_nested_dictionaries.py"), in.toString());
    Converter converter = new Converter(memory.allocator());
    for (String name : List.of("nested.arrow_file", "nested.stream")) {
      Path source = in.resolve(name);
      Path bigEndian = in.resolve("big-endian-" + name);
      FileFormat format = name.endsWith("_file") ? FileFormat.FEATHER : FileFormat.IPC_STREAM;
      try (ArrowReader reader = converter.openReader(source, format)) {
        BigEndianWriter.write(reader, bigEndian, format == FileFormat.FEATHER, memory.allocator());
      }
    }
    List<String> pairs = new ArrayList<>();
    try (var files = Files.list(in)) {
      for (Path source : files.sorted().toList()) {
        FileFormat from = source.toString().endsWith("_file") ? FileFormat.FEATHER : FileFormat.IPC_STREAM;
        for (FileFormat to : TARGETS) {
          Path out = tmp.resolve(source.getFileName() + "." + to.formatName());
          if (source.getFileName().toString().equals("replaced.stream") && to == FileFormat.FEATHER) {
            io.arrownpz.UnsupportedFileException e = assertThrows(io.arrownpz.UnsupportedFileException.class,
                () -> converter.convert(source, from, out, to, ConvertOptions.DEFAULTS));
            assertTrue(e.getMessage().contains("column 'list_dict'") && e.getMessage().contains("write an IPC stream"),
                e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertFalse(Files.exists(out));
            continue;
          }
          converter.convert(source, from, out, to, ConvertOptions.DEFAULTS);
          pairs.add(source.toString());
          pairs.add(out.toString());
        }
      }
    }
    String out = PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.ipc as ipc, pyarrow.feather as feather, pyarrow.parquet as pq
        def read(path):
            if path.endswith('.parquet'):
                return pq.read_table(path)
            if path.endswith('.feather') or path.endswith('_file'):
                return ipc.open_file(path).read_all()
            return ipc.open_stream(path).read_all()
        a = sys.argv[1:]
        for src, got in zip(a[0::2], a[1::2]):
            want = read(src)
            assert want.num_rows > 0, src
            t = read(got)
            assert t.to_pylist() == want.to_pylist(), (got, t.to_pylist(), want.to_pylist())
        print(len(a) // 2)
        """, pairs.toArray(String[]::new));
    // 4 pyarrow inputs and 2 big-endian copies, 3 targets each, less the one refusal
    assertEquals("17", out.strip());
  }
}
