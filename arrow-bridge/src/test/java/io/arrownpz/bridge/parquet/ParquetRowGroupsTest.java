package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
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

  /**
   * A batch of a megabyte or more is a row group by itself; smaller ones are put together up to 4 MiB (a
   * group ends with the batch that takes it past them); a big one after small ones ends their group.
   */
  @Test
  void bigBatchesAreNotPutTogether() throws Exception {
    assertEquals(List.of(150_000, 150_000, 150_000, 150_000), groups(600_000, 150_000, 1 << 20)); // 1.2 MB each
    assertEquals(List.of(600_000, 400_000), groups(1_000_000, 100_000, 1 << 20)); // 0.8 MB each
    assertEquals(List.of(300_000, 150_000, 300_000, 150_000), groups(new int[] {100_000, 100_000, 100_000,
        150_000, 100_000, 100_000, 100_000, 150_000}, 1 << 20));
  }

  @Test
  void aGroupEndsOnceItHoldsItsRows() throws Exception {
    // Batches of 30 rows put together into groups of 100: the fourth batch of each group split between two.
    assertEquals(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100), groups(1_000, 30, 100));
    assertEquals(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 7), groups(1_007, 30, 100));
  }

  /** The rows of each batch an ExportReader hands over, of {@code rows} int64 values given in batches. */
  private List<Integer> groups(int rows, int batchRows, int groupRows) throws Exception {
    int[] batches = new int[(rows + batchRows - 1) / batchRows];
    for (int b = 0; b < batches.length; b++) {
      batches[b] = Math.min(batchRows, rows - b * batchRows);
    }
    return groups(batches, groupRows);
  }

  /**
   * The same, of batches of the rows given, each written over the last in the same vector (as a reader may
   * refill its vectors): what is handed over must not change when the source moves on.
   */
  private List<Integer> groups(int[] batchRows, int groupRows) throws Exception {
    List<Integer> groups = new ArrayList<>();
    long expected = 0;
    ReleaseWaiter released = new ReleaseWaiter();
    BufferAllocator allocator = memory.allocator();
    try (InPlaceBatches batches = new InPlaceBatches(allocator, batchRows);
        BufferAllocator lent = allocator.newChildAllocator("lent", released, 0, Long.MAX_VALUE);
        ArrowReader export = new ExportReader(batches, allocator, lent, released, groupRows, 4L << 20)) {
      while (export.loadNextBatch()) {
        VectorSchemaRoot group = export.getVectorSchemaRoot();
        BigIntVector values = (BigIntVector) group.getVector(0);
        for (int i = 0; i < group.getRowCount(); i++) {
          assertEquals(expected++, values.get(i));
        }
        groups.add(group.getRowCount());
      }
    }
    assertEquals(java.util.Arrays.stream(batchRows).sum(), expected);
    return groups;
  }

  /** Batches of one int64 column counting up from 0, of the rows given, each written into the same vector. */
  private static final class InPlaceBatches extends ArrowReader {
    private final int[] rows;
    private int made;
    private long counted;

    InPlaceBatches(BufferAllocator allocator, int[] rows) {
      super(allocator);
      this.rows = rows;
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      if (made == rows.length) {
        return false;
      }
      VectorSchemaRoot root = getVectorSchemaRoot();
      BigIntVector x = (BigIntVector) root.getVector(0);
      if (made == 0) {
        x.allocateNew(java.util.Arrays.stream(rows).max().orElse(0));
      }
      int n = rows[made++];
      for (int i = 0; i < n; i++) {
        x.set(i, counted++);
      }
      x.setValueCount(n);
      root.setRowCount(n);
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {}

    @Override
    protected org.apache.arrow.vector.types.pojo.Schema readSchema() {
      return new org.apache.arrow.vector.types.pojo.Schema(List.of(org.apache.arrow.vector.types.pojo.Field
          .nullable("x", new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true))));
    }
  }
}
