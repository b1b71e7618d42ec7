package io.arrownpz.bridge.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.ProcessMemory;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Feather file read again, or another with the very same footer, reads with the footer parsed the first
 * time; a file whose footer has changed, even rewritten in place with its size and modification time put
 * back, reads its own; and the kept footers stay within their bound.
 */
class KeptFootersTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void theSameFooterIsParsedOnceAndAChangedOneAgain() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as feather
        d = sys.argv[1]
        def table(name, k):
            return pa.table({name: pa.array([i * k for i in range(1000)], pa.int64()),
                             'text': pa.array(['v%d' % (i % 7) for i in range(1000)])},
                            metadata={'source': 'kept footers'})
        feather.write_feather(table('aaaa', 1), d + '/first.feather', compression='uncompressed')
        feather.write_feather(table('aaaa', 1), d + '/copy.feather', compression='uncompressed')
        feather.write_feather(table('bbbb', 3), d + '/other.feather', compression='uncompressed')
        """, tmp.toString());
    Path file = tmp.resolve("data.feather");
    Files.copy(tmp.resolve("first.feather"), file);
    Schema first = read(file, "aaaa", 1);
    assertSame(first, read(file, "aaaa", 1), "read again: the footer parsed the first time");
    assertSame(first, read(tmp.resolve("copy.feather"), "aaaa", 1), "the same footer in another file");
    assertEquals("kept footers", first.getCustomMetadata().get("source"));

    // Rewritten in place with another column name and other values, the same size, its time put back.
    FileTime modified = Files.getLastModifiedTime(file);
    byte[] other = Files.readAllBytes(tmp.resolve("other.feather"));
    assertEquals(Files.size(file), other.length, "the same size");
    Files.write(file, other);
    Files.setLastModifiedTime(file, modified);
    Schema changed = read(file, "bbbb", 3);
    assertNotSame(first, changed);
    assertEquals(List.of("bbbb", "text"), changed.getFields().stream().map(f -> f.getName()).toList());
  }

  @Test
  void theBoundHolds() {
    KeptFooters kept = new KeptFooters(2, 1 << 20);
    for (int i = 0; i < 5; i++) {
      ByteBuffer bytes = ByteBuffer.wrap(("footer " + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      ArrowFooter footer = new ArrowFooter(new Schema(List.of(), Map.of("i", "" + i)), List.of(), List.of());
      KeptFooters.Parsed parsed = kept.keep(bytes, new KeptFooters.Parsed(footer, false));
      assertSame(parsed, kept.get(bytes), "found by its bytes");
      assertTrue(kept.size() <= 2, kept.size() + " kept");
    }
    assertEquals(null, kept.get(ByteBuffer.wrap("footer 0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))),
        "the least recently read went first");
  }

  /**
   * The bound is on the heap the kept footers hold, not only on their bytes: a parsed field (its name, type
   * and metadata, and its hash) holds several times what the footer spells it in. Sixteen files of 4,000
   * columns, each read once, leave at most the bound behind.
   */
  @Test
  void keptFootersHoldNoMoreHeapThanTheBound() throws IOException {
    KeptFooters.SHARED.clear();
    int columns = 4_000;
    for (int k = 0; k < 16; k++) {
      List<org.apache.arrow.vector.FieldVector> vectors = new java.util.ArrayList<>();
      for (int c = 0; c < columns; c++) {
        org.apache.arrow.vector.BigIntVector v = new org.apache.arrow.vector.BigIntVector(
            new org.apache.arrow.vector.types.pojo.Field("file_" + k + "_column_" + c,
                new org.apache.arrow.vector.types.pojo.FieldType(true, new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true),
                    null, Map.of("unit", "metres", "source", "sensor " + c)), null), memory.allocator());
        v.allocateNew(1);
        v.set(0, c);
        v.setValueCount(1);
        vectors.add(v);
      }
      Path file = tmp.resolve("wide" + k + ".feather");
      try (VectorSchemaRoot table = new VectorSchemaRoot(vectors)) {
        table.setRowCount(1);
        FeatherFiles.write(table, file);
      }
      try (VectorSchemaRoot read = FeatherFiles.read(file, memory.allocator())) {
        assertEquals(columns, read.getFieldVectors().size());
      }
    }
    long kept = ProcessMemory.heapInUse();
    int footers = KeptFooters.SHARED.size();
    KeptFooters.SHARED.clear();
    long held = kept - ProcessMemory.heapInUse();
    assertTrue(held <= KeptFooters.MAX_HEAP_BYTES, (held >> 20) + " MiB held by " + footers + " footers, past "
        + (KeptFooters.MAX_HEAP_BYTES >> 20) + " MiB");
  }

  /** Reads a file whole, checks its first column's values, and gives its schema. */
  private Schema read(Path file, String column, long factor) throws IOException {
    try (VectorSchemaRoot table = FeatherFiles.read(file, memory.allocator())) {
      assertEquals(1000, table.getRowCount());
      for (int i = 0; i < 1000; i += 97) {
        assertEquals(i * factor, (long) table.getVector(column).getObject(i));
      }
      return table.getSchema();
    }
  }
}
