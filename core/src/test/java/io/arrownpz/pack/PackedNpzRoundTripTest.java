package io.arrownpz.pack;

import static io.arrownpz.pack.EventTables.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.npz.PackedNpz;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Packed tables through the packed NPZ layout, nulls included, and NumPy reading what we write. */
class PackedNpzRoundTripTest {
  /** The generated columns NumPy has a dtype for (no decimals or nested lists). */
  private static final List<String> NUMPY_COLUMNS = List.of("key", "key2", "i8", "i16", "i32", "u32", "f32", "f64",
      "flag", "text", "fixed", "day", "time");

  @RegisterExtension
  final AllocatorExtension memory = new AllocatorExtension();

  @TempDir
  Path dir;

  private BufferAllocator allocator() {
    return memory.allocator();
  }

  private VectorSchemaRoot packedEvents(int rows, boolean detectScalar) {
    try (VectorSchemaRoot all = EventTables.random(allocator(), rows, 60, true, rows)) {
      List<FieldVector> kept = NUMPY_COLUMNS.stream().map(all::getVector).toList();
      try (VectorSchemaRoot events = new VectorSchemaRoot(kept)) {
        return Packer.pack(events, allocator(), PackOptions.byKeys("key").orderBy("time").detectScalar(detectScalar));
      }
    }
  }

  @Test
  void nullsSurviveThroughMaskMembersAndListsStayOverTheFile() throws Exception {
    Path file = dir.resolve("packed.npz");
    try (VectorSchemaRoot packed = packedEvents(2000, false)) {
      PackedNpz.write(packed, file, NpzWriteOptions.DEFAULTS);
      try (NpzArchive npz = NpzArchive.open(file);
           VectorSchemaRoot read = PackedNpz.read(npz, allocator(), NpyReadOptions.DEFAULTS)) {
        assertTrue(npz.zip().entry("f64.__mask__.npy") != null, "a mask member for a column with nulls");
        assertTrue(npz.zip().entry("key.__mask__.npy") != null, "a mask member for the null key");
        assertEquals(packed.getRowCount(), read.getRowCount());
        for (FieldVector expected : packed.getFieldVectors()) {
          FieldVector actual = read.getVector(expected.getName());
          for (int r = 0; r < packed.getRowCount(); r++) {
            assertEquals(normal(value(expected, r)), normal(value(actual, r)), expected.getName() + " row " + r);
          }
        }
        ListVector f64 = (ListVector) read.getVector("f64");
        assertTrue(f64.getDataVector().getNullCount() > 0);
      }
    }
  }

  /** Strings read back from NumPy's fixed-width unicode compare as text; list values compare element-wise. */
  private static Object normal(Object o) {
    if (o instanceof List<?> list) {
      return list.stream().map(PackedNpzRoundTripTest::normal).toList();
    }
    if (o instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
    return o == null ? null : o instanceof org.apache.arrow.vector.util.Text ? o.toString() : o;
  }

  @Test
  void numpyReadsListsWithNpSplitAndNullsFromTheMasks() throws Exception {
    PythonPeer.require("numpy");
    Path file = dir.resolve("packed.npz");
    try (VectorSchemaRoot packed = packedEvents(500, true)) {
      PackedNpz.write(packed, file, NpzWriteOptions.DEFAULTS);
      String out = PythonPeer.run("""
          import json, sys, numpy as np
          z = np.load(sys.argv[1])
          import zipfile
          d = json.loads(zipfile.ZipFile(sys.argv[1]).read('__packed__.json'))
          offsets = z['__offsets__']
          out = {}
          for name in ['f64', 'i32']:
              assert name in d['lists']
              values = np.ma.masked_array(z[name], mask=z[d['masks'][name]]) if name in d.get('masks', {}) else z[name]
              out[name] = [[None if v is np.ma.masked else float(v) for v in part] for part in np.split(values, offsets[1:-1])]
          print(json.dumps({"lists": out, "scalars": d['scalars']}))
          """, file.toString());
      JsonNode fromNumpy = new ObjectMapper().readTree(out);
      List<String> scalars = new java.util.ArrayList<>();
      fromNumpy.get("scalars").forEach(n -> scalars.add(n.asText()));
      assertTrue(scalars.contains("key"), scalars.toString());
      for (String name : List.of("f64", "i32")) {
        ListVector list = (ListVector) packed.getVector(name);
        JsonNode lists = fromNumpy.get("lists").get(name);
        assertEquals(packed.getRowCount(), lists.size());
        for (int r = 0; r < packed.getRowCount(); r++) {
          List<?> expected = list.getObject(r);
          JsonNode actual = lists.get(r);
          assertEquals(expected.size(), actual.size(), name + " row " + r);
          for (int i = 0; i < expected.size(); i++) {
            Object e = expected.get(i);
            JsonNode a = actual.get(i);
            if (e == null) {
              assertTrue(a.isNull(), name + " row " + r + " item " + i);
            } else {
              assertEquals(((Number) e).doubleValue(), a.asDouble(), 1e-6, name + " row " + r);
            }
          }
        }
      }
    }
  }
}
