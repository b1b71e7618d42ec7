package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.TableReader;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row groups as pyarrow makes them: small batches (a stream of many, a folder of small files) are put
 * together before Arrow C++'s dataset writer, which makes each batch it is given a row group; a batch big
 * enough is one by itself.
 */
class ParquetRowGroupsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void smallBatchesOfEveryKindBecomeRowGroupsAsBigAsTheWriterMakes() throws Exception {
    PythonPeer.require("pyarrow");
    Path small = tmp.resolve("small.arrows");
    PythonPeer.run("""
        import sys, decimal, pyarrow as pa, pyarrow.ipc as ipc
        n = 40_000
        t = pa.table({
            'i': pa.array([None if k % 11 == 0 else k for k in range(n)], pa.int64()),
            's': pa.array([None if k % 5 == 0 else f'v{k % 300}é' for k in range(n)]),
            'ls': pa.array([f'L{k}' for k in range(n)], pa.large_string()),
            'flag': pa.array([None if k % 7 == 0 else k % 2 == 0 for k in range(n)]),
            'l': pa.array([None if k % 13 == 0 else [k, None] if k % 3 else [] for k in range(n)], pa.list_(pa.int32())),
            'st': pa.array([{'x': k, 'y': None if k % 2 else str(k)} for k in range(n)]),
            'm': pa.array([[('a', k)] if k % 4 else [] for k in range(n)], pa.map_(pa.string(), pa.int64())),
            'cat': pa.array(['red', 'green', None, 'blue'] * (n // 4)).dictionary_encode(),
            'd': pa.array([decimal.Decimal(k) / 100 for k in range(n)], pa.decimal128(12, 2)),
            'ts': pa.array(range(n), pa.timestamp('us', tz='Asia/Tokyo')),
        })
        with ipc.new_stream(sys.argv[1], t.schema) as w:
            for b in t.to_batches(max_chunksize=20):  # 2,000 batches
                w.write_batch(b)
        """, small.toString());
    new Converter(memory.allocator()).convert(small, FileFormat.IPC_STREAM, tmp.resolve("small.parquet"),
        FileFormat.PARQUET, ConvertOptions.DEFAULTS);
    // 2,000 batches of 20 rows were 2,000 row groups: now groups of 32,768 rows (the writer's most) and the rest.
    assertEquals("[32768, 7232] True\n", PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.ipc as ipc, pyarrow.parquet as pq
        want = ipc.open_stream(sys.argv[1]).read_all()
        got = pq.read_table(sys.argv[2])
        m = pq.ParquetFile(sys.argv[2]).metadata
        print([m.row_group(g).num_rows for g in range(m.num_row_groups)], got.to_pylist() == want.to_pylist())
        """, small.toString(), tmp.resolve("small.parquet").toString()).replace("\r", ""));
  }

  /** A batch of a megabyte or more is a row group by itself; smaller ones are put together. */
  @Test
  void bigBatchesAreNotPutTogether() throws Exception {
    assertEquals(List.of(150_000, 150_000, 150_000, 150_000), groups(600_000, 150_000, 1 << 20)); // 1.2 MB each
    assertEquals(List.of(600_000), groups(600_000, 100_000, 1 << 20)); // 0.8 MB each
  }

  @Test
  void aGroupEndsOnceItHoldsItsRows() throws Exception {
    // Batches of 30 rows put together into groups of 100: the fourth batch of each group split between two.
    assertEquals(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100), groups(1_000, 30, 100));
    assertEquals(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 7), groups(1_007, 30, 100));
  }

  /** The rows of each batch an ExportReader hands over, of {@code rows} int64 values given in batches. */
  private List<Integer> groups(int rows, int batchRows, int groupRows) throws Exception {
    BufferAllocator allocator = memory.allocator();
    List<Integer> groups = new ArrayList<>();
    try (BigIntVector x = new BigIntVector("x", allocator)) {
      x.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        x.set(i, i);
      }
      x.setValueCount(rows);
      long expected = 0;
      ReleaseWaiter released = new ReleaseWaiter();
      try (VectorSchemaRoot table = VectorSchemaRoot.of(x);
          TableReader batches = new TableReader(table, batchRows, allocator);
          BufferAllocator lent = allocator.newChildAllocator("lent", released, 0, Long.MAX_VALUE);
          ArrowReader export = new ExportReader(batches, allocator, lent, released, groupRows)) {
        while (export.loadNextBatch()) {
          VectorSchemaRoot group = export.getVectorSchemaRoot();
          BigIntVector values = (BigIntVector) group.getVector(0);
          for (int i = 0; i < group.getRowCount(); i++) {
            assertEquals(expected++, values.get(i));
          }
          groups.add(group.getRowCount());
        }
      }
      assertEquals(rows, expected);
    }
    return groups;
  }
}
