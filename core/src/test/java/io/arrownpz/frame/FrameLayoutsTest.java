package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.ProcessMemory;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frame's labels, names and schema are kept for the next open of the same content, and never outlive
 * it: frames that StaticFrame wrote with other labels, another name, or in place of the file read before,
 * each get their own.
 */
class FrameLayoutsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @BeforeEach
  void emptyCache() {
    FrameLayouts.clear();
  }

  @Test
  void sameContentSharesOneLayoutAndChangedContentNever() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        d = sys.argv[1]
        values = np.arange(12.0).reshape(4, 3)
        def frame(columns, name):
            return sf.Frame(values, columns=columns, name=name, index=sf.Index([10, 20, 30, 40], name='day'))
        frame(['a', 'b', 'c'], 'first').to_npz(d + '/f.npz')
        frame(['a', 'b', 'c'], 'first').to_npz(d + '/copy.npz')
        frame(['x', 'y', 'z'], 'first').to_npz(d + '/relabelled.npz')
        frame(['a', 'b', 'c'], 'second').to_npz(d + '/renamed.npz')
        frame(['a', 'b', 'c'], 'first').to_npy(d + '/dir')
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    Schema first = schemaOf(reader, tmp.resolve("f.npz"));
    assertEquals(List.of("day", "a", "b", "c"), names(first));
    assertEquals(1, FrameLayouts.size());
    assertSame(first, schemaOf(reader, tmp.resolve("f.npz")), "the same file again");
    assertSame(first, schemaOf(reader, tmp.resolve("copy.npz")), "the same content under another name");
    assertSame(first, schemaOf(reader, tmp.resolve("dir")), "the same content as an NPY directory");
    try (NpzFrameSource source = NpzFrameSource.open(tmp.resolve("f.npz"));
         FrameReader.OpenFrame frame = reader.open(source);
         VectorSchemaRoot window = frame.read(1, 2)) {
      assertSame(first, window.getSchema(), "a window has the whole frame's schema");
      assertEquals(3.0, (double) window.getVector("a").getObject(0));
    }
    assertEquals(1, FrameLayouts.size());

    Schema relabelled = schemaOf(reader, tmp.resolve("relabelled.npz"));
    assertEquals(List.of("day", "x", "y", "z"), names(relabelled));
    assertTrue(relabelled.getCustomMetadata().get("pandas").contains("\"x\""));
    Schema renamed = schemaOf(reader, tmp.resolve("renamed.npz"));
    assertNotSame(first, renamed);
    assertTrue(renamed.getCustomMetadata().get(FrameReader.SCHEMA_KEY).contains("second"));
    assertTrue(first.getCustomMetadata().get(FrameReader.SCHEMA_KEY).contains("first"));

    // The file read first is replaced by one with other labels: its next read says so.
    Files.copy(tmp.resolve("relabelled.npz"), tmp.resolve("f.npz"), StandardCopyOption.REPLACE_EXISTING);
    assertEquals(List.of("day", "x", "y", "z"), names(schemaOf(reader, tmp.resolve("f.npz"))));
    assertEquals(3, FrameLayouts.size());

    // Rewritten in place this time (the same file, the same size, its modification time put back), as a
    // file known by its identity is: the labels read are the new ones.
    Path f = tmp.resolve("f.npz");
    java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(f);
    byte[] original = Files.readAllBytes(tmp.resolve("copy.npz"));
    assertEquals(Files.size(f), original.length, "the same size");
    Files.write(f, original);
    Files.setLastModifiedTime(f, modified);
    assertEquals(List.of("day", "a", "b", "c"), names(schemaOf(reader, f)));
    assertEquals(List.of("day", "a", "b", "c"), names(schemaOf(reader, f)), "and again, from what was kept");
  }

  /**
   * The cache's bound is on the heap it holds, whatever the frame's shape: eighty frames never seen before,
   * each one block of 2,500 columns (its labels, names and fields kept per column, not per array), leave at
   * most the bound behind. Weighed per array, as it once was, they all stayed: some 130 MiB.
   */
  @Test
  void keptLayoutsHoldNoMoreHeapThanTheBound() throws IOException {
    int frames = 80;
    int columns = 2_500;
    List<Path> files = new java.util.ArrayList<>();
    for (int k = 0; k < frames; k++) {
      List<FieldVector> vectors = new java.util.ArrayList<>();
      for (int c = 0; c < columns; c++) {
        Float8Vector v = new Float8Vector("f" + k + "_column_" + c, memory.allocator());
        v.allocateNew(2);
        v.set(0, c);
        v.set(1, k);
        v.setValueCount(2);
        vectors.add(v);
      }
      try (VectorSchemaRoot table = new VectorSchemaRoot(vectors)) {
        table.setRowCount(2);
        Path npz = tmp.resolve("f" + k + ".npz");
        FrameWriter.writeNpz(table, npz, FrameWriteOptions.DEFAULTS);
        files.add(npz);
      }
    }
    FrameReader reader = new FrameReader(memory.allocator());
    for (Path f : files) {
      try (NpzFrameSource source = NpzFrameSource.open(f);
           VectorSchemaRoot table = reader.read(source)) {
        assertEquals(columns, table.getFieldVectors().size());
      }
    }
    long kept = ProcessMemory.heapInUse();
    int entries = FrameLayouts.size();
    FrameLayouts.clear();
    long held = kept - ProcessMemory.heapInUse();
    assertTrue(held <= FrameLayouts.MAX_WEIGHT, (held >> 20) + " MiB held by " + entries + " layouts, past the bound of "
        + (FrameLayouts.MAX_WEIGHT >> 20) + " MiB");
    assertTrue(entries < frames, entries + " layouts kept of " + frames);
  }

  /**
   * A later open of a layout seen before makes its vectors from the kept fields, with the same values; and
   * where a column's type depends on its values (minutes past what milliseconds hold stay counts), a file
   * of the same layout with other values still gets the schema of what it holds.
   */
  @Test
  void keptFieldsGiveTheSameTableAndValuesStillDecideTimeColumns() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        d = sys.argv[1]
        def frame(minutes):
            return sf.Frame.from_fields([np.array(minutes, dtype='datetime64[m]'), np.array([1.5, 2.5]),
                                         np.array(['p', 'q'])], columns=['when', 'x', 's'])
        frame([0, 1440]).to_npz(d + '/near.npz')
        frame([0, 2**62]).to_npz(d + '/far.npz')
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    try (NpzFrameSource source = NpzFrameSource.open(tmp.resolve("near.npz"));
         VectorSchemaRoot first = reader.read(source);
         NpzFrameSource again = NpzFrameSource.open(tmp.resolve("near.npz"));
         VectorSchemaRoot second = reader.read(again)) {
      assertEquals(first.contentToTSVString(), second.contentToTSVString());
      assertSame(first.getSchema(), second.getSchema());
      assertEquals(first.getVector("x").getField(), second.getVector("x").getField());
      assertSame(second.getSchema().findField("x"), second.getVector("x").getField(), "made from the schema's own field");
      assertEquals("Timestamp(MILLISECOND, null)", second.getVector("when").getField().getType().toString());
      assertEquals(86_400_000L, ((TimeStampMilliVector) second.getVector("when")).get(1));
    }
    try (NpzFrameSource source = NpzFrameSource.open(tmp.resolve("far.npz"));
         VectorSchemaRoot far = reader.read(source)) {
      assertEquals(1, FrameLayouts.size(), "the same layout");
      assertEquals(far.getVector("when").getField().getType(), far.getSchema().findField("when").getType());
      assertEquals(1L << 62, ((BigIntVector) far.getVector("when")).get(1), "kept as minutes");
      assertEquals(2.5, ((Float8Vector) far.getVector("x")).get(1));
    }
  }

  /**
   * Many small columns read together share their bitmaps' allocations, yet each column owns its bits: a
   * null set in one leaves the others whole, and everything is given back when the table closes.
   */
  @Test
  void columnsReadTogetherOwnTheirBits() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        n = 40
        fields = [np.arange(10) * (i + 1) if i % 2 else np.arange(10) % (i + 2) == 0 for i in range(n)]
        sf.Frame.from_fields(fields, columns=['c%d' % i for i in range(n)]).to_npz(sys.argv[1] + '/many.npz')
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    for (int pass = 0; pass < 2; pass++) { // the first pass works the fields out, the second reuses them
      try (NpzFrameSource source = NpzFrameSource.open(tmp.resolve("many.npz"));
           VectorSchemaRoot table = reader.read(source)) {
        ((BigIntVector) table.getVector("c1")).setNull(3);
        ((BitVector) table.getVector("c2")).setNull(4);
        for (int i = 0; i < 40; i++) {
          FieldVector v = table.getVector("c" + i);
          for (int r = 0; r < 10; r++) {
            boolean nulled = (i == 1 && r == 3) || (i == 2 && r == 4);
            assertEquals(nulled, v.isNull(r), "c" + i + " row " + r);
            if (!nulled) {
              Object expected = i % 2 == 1 ? (Object) (long) (r * (i + 1)) : (Object) (r % (i + 2) == 0);
              assertEquals(expected, v.getObject(r), "c" + i + " row " + r);
            }
          }
        }
      }
    }
  }

  /**
   * A whole read of an NPZ frame: every column over the file is a slice of one buffer (one allocation for
   * the archive, not one per column), the table outlives the file it came from, and a second read of the
   * same content gives the same values through the kept fields.
   */
  @Test
  void aWholeReadSlicesOneBufferAndOutlivesTheFile() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        columns = {f'c{i}': (np.arange(5, dtype=np.int64) * i if i % 2 else np.arange(5) + i / 10) for i in range(40)}
        sf.Frame.from_dict(columns, consolidate_blocks=False).to_npz(sys.argv[1] + '/f.npz')
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    for (int pass = 0; pass < 2; pass++) {
      VectorSchemaRoot table;
      try (NpzFrameSource source = NpzFrameSource.open(tmp.resolve("f.npz"))) {
        table = reader.read(source);
      }
      try (table) {
        assertEquals(40, table.getFieldVectors().size(), "an automatic index is no column");
        var managers = new java.util.HashSet<Object>();
        for (int c = 0; c < 40; c++) {
          FieldVector v = table.getVector("c" + c);
          managers.add(v.getDataBuffer().getReferenceManager());
          for (int row = 0; row < 5; row++) {
            Object expected = c % 2 == 1 ? (Object) (long) (row * c) : (Object) (row + c / 10.0);
            assertEquals(expected, v.getObject(row), "column " + c + " row " + row + ", pass " + pass);
          }
        }
        assertEquals(1, managers.size(), "one buffer over the archive");
      }
    }
  }

  private static Schema schemaOf(FrameReader reader, Path path) throws IOException {
    try (FrameSource source = Files.isDirectory(path) ? new NpyDirectorySource(path) : NpzFrameSource.open(path);
         VectorSchemaRoot table = reader.read(source)) {
      assertEquals(4, table.getRowCount());
      return table.getSchema();
    }
  }

  private static List<String> names(Schema schema) {
    return schema.getFields().stream().map(Field::getName).toList();
  }
}
