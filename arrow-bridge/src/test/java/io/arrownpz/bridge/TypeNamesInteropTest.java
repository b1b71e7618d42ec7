package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.BadFileException;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code inspect} says a column's type is, for every Arrow type pyarrow writes to Feather and IPC
 * streams (nested, dictionary-encoded at any depth, views, unions, run-end encoded, intervals, time zones,
 * extension types), is what pyarrow prints for it: the same spelling, parameters and children.
 * fixed_shape_tensor is the exception, printed with its NumPy shape.
 */
class TypeNamesInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void inspectSpellsEveryTypeAsPyarrowDoes() throws IOException {
    PythonPeer.require("pyarrow");
    List<String> names = PythonPeer.run(InteropScripts.text("write_all_types.py"), tmp.toString()).strip().lines().toList();
    Converter converter = new Converter(memory.allocator());
    ObjectMapper json = new ObjectMapper();
    ObjectNode described = json.createObjectNode();
    for (String name : names) {
      Path file = tmp.resolve(name);
      if (name.endsWith(".parquet") || !Files.exists(file)) {
        continue; // Parquet is read with Arrow C++ 18.3's own mapping, which differs by design
      }
      ArrayNode types = described.putArray(file.toString());
      try {
        ArrowFileInfo info = (ArrowFileInfo) converter.describe(file, FileFormat.ofPath(file));
        for (ArrowFileInfo.FieldInfo f : info.fields()) {
          types.add(f.arrowType());
        }
      } catch (BadFileException e) {
        described.remove(file.toString()); // decimal32/64: Arrow Java 18.3 has no type for them
      }
    }
    Path report = tmp.resolve("types.json");
    Files.writeString(report, described.toString());
    String out = PythonPeer.run("""
        import sys, json, pyarrow as pa
        wrong, checked = [], 0
        for path, ours in json.load(open(sys.argv[1])).items():
            schema = pa.ipc.open_stream(path).schema if path.endswith('.arrows') else pa.ipc.open_file(path).schema
            for field, text in zip(schema, ours):
                checked += 1
                if text != str(field.type) and 'fixed_shape_tensor' not in text:
                    wrong.append(f'{path} {field.name}: {text} != {field.type}')
        print('\\n'.join(wrong) if wrong else f'ok {checked}')
        """, report.toString());
    assertEquals("ok", out.strip().split(" ")[0], out);
    assertTrue(Integer.parseInt(out.strip().split(" ")[1]) >= 200, out); // every column of every file
  }
}
