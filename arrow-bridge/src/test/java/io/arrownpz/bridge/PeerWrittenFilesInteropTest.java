package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.BadFileException;
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
 * columns and its index). Every file is converted to every target, and read whole (its batches joined)
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
    ArrayNode cases = new ObjectMapper().createArrayNode();
    int refused = 0;
    for (String name : inputs) {
      Path input = in.resolve(name);
      FileFormat from = FileFormat.ofPath(input);
      // Read whole: the batches joined into one table (dictionary columns decoded), then written as it is.
      Path whole = Files.createDirectories(tmp.resolve("whole")).resolve(name + ".feather");
      try (VectorSchemaRoot table = converter.read(input, from, ConvertOptions.DEFAULTS)) {
        FeatherFiles.write(table, whole);
      }
      cases.addObject().put("input", input.toString()).put("target", "feather").put("output", whole.toString())
          .put("decoded", true);
      for (String target : TARGETS) {
        FileFormat to = FileFormat.named(target);
        Path folder = Files.createDirectories(tmp.resolve(target));
        Path output = folder.resolve(name + (to == FileFormat.NPY_DIR ? "" : DirectoryConverter.extension(to)));
        ObjectNode c = cases.addObject().put("input", input.toString()).put("target", target)
            .put("output", output.toString());
        try {
          converter.convert(input, from, output, to, ConvertOptions.DEFAULTS);
          if (target.startsWith("np")) {
            Path back = folder.resolve(name + ".back.feather");
            converter.convert(output, to, back, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
            c.put("back", back.toString());
          }
        } catch (BadFileException e) {
          String message = e.getMessage();
          assertFalse(message.contains("\n"), message);
          assertTrue(message.startsWith(input.toString()), message);
          // Only NumPy lacks types these tools write (time zones, categoricals, nested columns).
          assertTrue(target.startsWith("np"), name + " -> " + target + " refused: " + message);
          assertFalse(Files.exists(output), "a refused conversion left " + output);
          c.put("error", message);
          refused++;
        }
      }
    }
    Path report = tmp.resolve("cases.json");
    Files.writeString(report, cases.toString());
    String verdict = PythonPeer.run(InteropScripts.text("check_conversions.py"), report.toString()).strip();
    System.out.println("PeerWrittenFilesInteropTest: " + inputs.size() + " files: " + verdict);
    assertEquals("checked " + (cases.size() - refused) + " written, " + refused + " refused", verdict);
    assertTrue(cases.size() - refused >= 4 * inputs.size(), verdict);
  }
}
