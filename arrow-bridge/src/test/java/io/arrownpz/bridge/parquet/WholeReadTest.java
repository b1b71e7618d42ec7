package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.internal.Tables;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read whole comes across a row group to a batch, however long the row group, where a read batch by
 * batch keeps its batches short; both give the same table.
 */
class WholeReadTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void aWholeReadTakesARowGroupAtATime() throws IOException {
    PythonPeer.require("pyarrow");
    Path file = tmp.resolve("groups.parquet");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.parquet as pq
        n = 100000
        table = pa.table({
            'i': pa.array(range(n), pa.int64()),
            'f': pa.array([None if k % 7 == 0 else k / 8 for k in range(n)], pa.float64()),
            's': pa.array(['s%d' % (k % 13) if k % 5 else None for k in range(n)]),
        })
        pq.write_table(table, sys.argv[1], row_group_size=70000)
        """, file.toString());

    assertEquals(List.of(70000, 30000), batchRows(ParquetReader.openWhole(file, memory.allocator())));
    for (int rows : batchRows(ParquetReader.open(file, memory.allocator()))) {
      assertTrue(rows <= 1 << 16, rows + " rows in a batch of a read batch by batch");
    }

    try (VectorSchemaRoot whole = ParquetFiles.read(file, memory.allocator());
        ParquetReader streaming = ParquetReader.open(file, memory.allocator());
        VectorSchemaRoot joined = Tables.collect(streaming, memory.allocator())) {
      assertEquals(100000, whole.getRowCount());
      assertEquals(joined.contentToTSVString(), whole.contentToTSVString());
      assertEquals(99999L, whole.getVector("i").getObject(99999));
      assertEquals(null, whole.getVector("f").getObject(70000 - 1 - (70000 - 1) % 7));
    }
  }

  private static List<Integer> batchRows(ParquetReader reader) throws IOException {
    List<Integer> rows = new ArrayList<>();
    try (reader) {
      while (reader.loadNextBatch()) {
        rows.add(reader.getVectorSchemaRoot().getRowCount());
      }
    }
    return rows;
  }
}
