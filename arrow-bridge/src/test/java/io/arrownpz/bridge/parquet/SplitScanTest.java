package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.internal.Tables;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wide Parquet file read by two scanners at once, half of the columns each, gives what one scanner gives:
 * the same schema with every metadata key, the same values, batch by batch over several row groups; a large
 * file of few columns read whole is split as a wide one is; and a wide file of no rows the same columns.
 */
class SplitScanTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void twoScannersGiveWhatOneGives() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, datetime, decimal, pyarrow as pa, pyarrow.parquet as pq
        n = 70000
        cols = {
            'i': pa.array(range(n), pa.int64()),
            'f': pa.array([None if k % 7 == 0 else k / 8 for k in range(n)], pa.float64()),
            's': pa.array(['s%d' % (k % 13) if k % 5 else None for k in range(n)]),
            'l': pa.array([[k, k + 1] if k % 3 else [] for k in range(n)], pa.list_(pa.int32())),
            'st': pa.array([{'a': k, 'b': str(k)} for k in range(n)]),
            't': pa.array([datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=k) for k in range(n)],
                          pa.timestamp('us', tz='UTC')),
            'b': pa.array([k % 2 == 0 for k in range(n)]),
            'd': pa.array([decimal.Decimal(k) / 100 for k in range(n)], pa.decimal128(12, 2)),
        }
        fields = [pa.field(name, a.type, metadata={'numpy': 'meta of ' + name}) for name, a in cols.items()]
        table = pa.Table.from_arrays(list(cols.values()), schema=pa.schema(fields, metadata={'whole': 'kept'}))
        pq.write_table(table, sys.argv[1] + '/mixed.parquet', row_group_size=30000, compression='zstd')
        wide = pa.table({'c%d' % k: pa.array([k * 10 + r for r in range(20)], pa.int64()) for k in range(5000)})
        pq.write_table(wide, sys.argv[1] + '/wide.parquet')
        pq.write_table(wide.slice(0, 0), sys.argv[1] + '/empty.parquet')
        n = 120000  # 8 columns of 8-byte values, stored plain: 7.7 MB, over SPLIT_MIN_BYTES
        large = pa.table({'v%d' % k: pa.array([(r * 7 + k) % 1000003 / 3 if r % 11 else None for r in range(n)],
                                                pa.float64()) for k in range(8)})
        pq.write_table(large, sys.argv[1] + '/large.parquet', compression='none', use_dictionary=False)
        """, tmp.toString());

    Path mixed = tmp.resolve("mixed.parquet");
    try (ParquetReader one = ParquetReader.open(mixed, memory.allocator(), Integer.MAX_VALUE);
        ParquetReader two = ParquetReader.open(mixed, memory.allocator(), 2)) {
      assertEquals(1, one.parts());
      assertEquals(2, two.parts());
      assertEquals(one.getVectorSchemaRoot().getSchema(), two.getVectorSchemaRoot().getSchema());
      assertEquals("meta of st", two.getVectorSchemaRoot().getSchema().findField("st").getMetadata().get("numpy"));
      int batches = 0;
      long rows = 0;
      while (one.loadNextBatch()) {
        assertTrue(two.loadNextBatch(), "as many batches");
        VectorSchemaRoot a = one.getVectorSchemaRoot();
        VectorSchemaRoot b = two.getVectorSchemaRoot();
        assertEquals(a.getRowCount(), b.getRowCount());
        assertEquals(a.contentToTSVString(), b.contentToTSVString(), "batch " + batches);
        rows += b.getRowCount();
        batches++;
      }
      assertTrue(!two.loadNextBatch());
      assertEquals(70000, rows);
      assertTrue(batches >= 3, batches + " batches: one per row group at least");
    }

    Path wide = tmp.resolve("wide.parquet");
    try (ParquetReader streaming = ParquetReader.open(wide, memory.allocator())) {
      assertEquals(1, streaming.parts(), "batch by batch: one scanner");
    }
    try (ParquetReader reader = ParquetReader.openWhole(wide, memory.allocator());
        VectorSchemaRoot table = Tables.collect(reader, memory.allocator())) {
      assertEquals(2, reader.parts(), "5,000 columns read whole: split");
      assertEquals(5000, table.getFieldVectors().size());
      for (int k = 0; k < 5000; k += 499) {
        assertEquals("c" + k, table.getVector(k).getName());
        assertEquals(k * 10L + 19, table.getVector(k).getObject(19));
      }
    }

    // Few columns but many bytes, read whole: split too; a small file of as many columns is not.
    Path large = tmp.resolve("large.parquet");
    assertTrue(java.nio.file.Files.size(large) >= ParquetReader.SPLIT_MIN_BYTES);
    try (ParquetReader one = ParquetReader.open(large, memory.allocator());
        VectorSchemaRoot oneTable = Tables.collect(one, memory.allocator());
        ParquetReader reader = ParquetReader.openWhole(large, memory.allocator());
        VectorSchemaRoot table = Tables.collect(reader, memory.allocator())) {
      assertEquals(2, reader.parts());
      assertEquals(120000, table.getRowCount());
      assertTrue(oneTable.equals(table), "the same values as one scanner reads");
      assertEquals(null, table.getVector("v3").getObject(0));
      assertEquals((119998 * 7 + 7) % 1000003 / 3.0, table.getVector("v7").getObject(119998));
      assertEquals(null, table.getVector("v7").getObject(119999)); // every 11th row is null
    }
    try (ParquetReader reader = ParquetReader.openWhole(mixed, memory.allocator())) {
      assertEquals(1, reader.parts(), "8 columns, a small file");
    }

    // Zero rows: both scanners end at once, and the table keeps every column.
    Path empty = tmp.resolve("empty.parquet");
    try (ParquetReader one = ParquetReader.open(empty, memory.allocator());
        ParquetReader reader = ParquetReader.openWhole(empty, memory.allocator());
        VectorSchemaRoot table = Tables.collect(reader, memory.allocator())) {
      assertEquals(2, reader.parts());
      assertEquals(0, table.getRowCount());
      assertEquals(one.getVectorSchemaRoot().getSchema(), table.getSchema());
    }
  }

  /**
   * A damaged column chunk (its page header overwritten) in either half of a file read by two scanners fails
   * the read with one error naming the file, whichever scanner meets it, and leaves nothing allocated: the
   * other scanner's read is waited for before anything is closed.
   */
  @Test
  void aDamagedColumnInEitherHalfFailsTheSplitReadCleanly() throws IOException {
    PythonPeer.require("pyarrow", "numpy");
    Path good = tmp.resolve("good.parquet");
    String offsets = PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.parquet as pq
        rng = np.random.default_rng(5)
        pq.write_table(pa.table({'v%d' % k: rng.random(110000) for k in range(8)}), sys.argv[1],
                       compression='none', use_dictionary=False)
        meta = pq.read_metadata(sys.argv[1]).row_group(0)
        print(' '.join(str(meta.column(k).data_page_offset) for k in range(8)))
        """, good.toString());
    long[] pageHeaders = Arrays.stream(offsets.strip().split(" ")).mapToLong(Long::parseLong).toArray();
    byte[] original = Files.readAllBytes(good);
    assertTrue(original.length >= ParquetReader.SPLIT_MIN_BYTES, "too small to be split: " + original.length);
    try (ParquetReader reader = ParquetReader.openWhole(good, memory.allocator())) {
      assertEquals(2, reader.parts());
    }
    for (int column : new int[] {0, 3, 4, 7}) { // columns 0-3 are the first scanner's, 4-7 the second's
      byte[] damaged = original.clone();
      Arrays.fill(damaged, (int) pageHeaders[column], (int) pageHeaders[column] + 24, (byte) 0xFF);
      Path file = tmp.resolve("damaged_" + column + ".parquet");
      Files.write(file, damaged);
      BufferAllocator round = memory.allocator().newChildAllocator("column " + column, 0, Long.MAX_VALUE);
      BadFileException e = assertThrows(BadFileException.class, () -> ParquetFiles.read(file, round).close(),
          "column " + column);
      assertEquals(file.toString(), e.file());
      assertTrue(e.getMessage().contains("not a readable Parquet file"), e.getMessage());
      assertEquals(0, round.getAllocatedMemory(), "column " + column + ": left allocated");
      round.close();
    }
  }
}
