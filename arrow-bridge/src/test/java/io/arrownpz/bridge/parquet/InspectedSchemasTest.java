package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.Types.MinorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet file read again, or another with the very same footer, is scanned with the schema inspected
 * the first time; a file whose footer changed (another type under the same column name, rewritten in place
 * with its modification time put back) is inspected again and reads its own values and types.
 */
class InspectedSchemasTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void theSameFooterIsInspectedOnceAndAChangedOneAgain() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.parquet as pq
        d = sys.argv[1]
        ints = pa.table({'v': pa.array([i * 3 for i in range(1000)], pa.int64()),
                         'text': pa.array(['t%d' % (i % 5) for i in range(1000)])})
        floats = pa.table({'v': pa.array([i / 4 for i in range(1000)], pa.float64()),
                           'text': pa.array(['t%d' % (i % 5) for i in range(1000)])})
        pq.write_table(ints, d + '/ints.parquet')
        pq.write_table(ints, d + '/copy.parquet')
        pq.write_table(floats, d + '/floats.parquet')
        """, tmp.toString());
    InspectedSchemas.KEPT.clear();
    Path file = tmp.resolve("data.parquet");
    Files.copy(tmp.resolve("ints.parquet"), file);

    checkInts(file);
    assertEquals(1, InspectedSchemas.KEPT.size());
    checkInts(file);
    checkInts(tmp.resolve("copy.parquet"));
    assertEquals(1, InspectedSchemas.KEPT.size(), "one footer, inspected once");

    FileTime modified = Files.getLastModifiedTime(file);
    Files.write(file, Files.readAllBytes(tmp.resolve("floats.parquet")));
    Files.setLastModifiedTime(file, modified);
    try (VectorSchemaRoot table = ParquetFiles.read(file, memory.allocator())) {
      assertEquals(MinorType.FLOAT8, table.getVector("v").getMinorType(), "the new file's type");
      for (int i = 0; i < 1000; i += 37) {
        assertEquals(i / 4.0, table.getVector("v").getObject(i));
      }
    }
    assertEquals(2, InspectedSchemas.KEPT.size());

    Files.write(file, new byte[] {'P', 'A', 'R', '1', 0, 0, 0, 0, 'P', 'A', 'R', '1'});
    BadFileException e = assertThrows(BadFileException.class, () -> ParquetFiles.read(file, memory.allocator()));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  private void checkInts(Path file) throws IOException {
    try (VectorSchemaRoot table = ParquetFiles.read(file, memory.allocator())) {
      assertEquals(1000, table.getRowCount());
      assertEquals(MinorType.BIGINT, table.getVector("v").getMinorType());
      for (int i = 0; i < 1000; i += 37) {
        assertEquals(i * 3L, table.getVector("v").getObject(i));
        assertEquals("t" + (i % 5), table.getVector("text").getObject(i).toString());
      }
    }
  }
}
