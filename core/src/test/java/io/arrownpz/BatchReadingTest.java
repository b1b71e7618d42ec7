package io.arrownpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import io.arrownpz.testing.RemoteFile;
import io.arrownpz.zip.ZipArchive;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link NumpyTables#openReader}: every file read in batches gives, batch after batch, the table that
 * {@link NumpyTables#read} gives whole (same schema and metadata, same values), and a frame's C-order
 * block is transposed one batch at a time.
 */
class BatchReadingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  static Stream<String> files() {
    List<String> all = new ArrayList<>();
    for (String kind : List.of("staticframe-npz", "staticframe-npy-dir")) {
      Fixtures.ofKind(kind).forEach(e -> all.add(e.get("file").asText()));
    }
    // NumPy's own files: both byte orders, zero rows, a 2-d big-endian tensor, plain and packed archives.
    all.addAll(List.of("npy/le_i4.npy", "npy/be_f8.npy", "npy/be_U3.npy", "npy/be_M8_ns.npy", "npy/empty_i4.npy",
        "npy/empty2d_f8.npy", "npy/c2d_be_f8.npy", "npz/many_members.npz", "npz/packed_events.npz"));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void batchesMakeTheWholeTable(String fixture) throws IOException {
    assertBatchesMakeTheWhole(Fixtures.path(fixture));
  }

  /** A plain archive with a null mask member: its column is nullable in the outline too. */
  @Test
  void maskedPlainArchive() throws IOException {
    Path file = tmp.resolve("masked.npz");
    try (org.apache.arrow.vector.IntVector v = new org.apache.arrow.vector.IntVector("v", memory.allocator());
        org.apache.arrow.vector.Float8Vector w = new org.apache.arrow.vector.Float8Vector("w", memory.allocator())) {
      v.allocateNew(3);
      w.allocateNew(3);
      for (int i = 0; i < 3; i++) {
        w.set(i, i / 2.0);
        if (i != 1) {
          v.set(i, i * 7);
        }
      }
      v.setValueCount(3);
      w.setValueCount(3);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(v, w)) {
        NumpyTables.write(table, file);
      }
    }
    try (ZipArchive zip = ZipArchive.open(file)) {
      assertTrue(zip.entry("v.__mask__.npy") != null, "the writer's mask member");
    }
    assertBatchesMakeTheWhole(file);
  }

  /** A frame with deflated members is read whole and sliced (inflating it per batch would cost more). */
  @Test
  void deflatedFrameIsReadInBatchesToo() throws IOException {
    Path stored = Fixtures.path("sf/hierarchy.npz");
    Path deflated = tmp.resolve("deflated.npz");
    try (ZipArchive zip = ZipArchive.open(stored);
        OutputStream file = Files.newOutputStream(deflated);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry entry : zip.entries()) {
        out.putNextEntry(new java.util.zip.ZipEntry(entry.name()));
        try (var region = io.arrownpz.internal.npy.Internals.archives().open(zip, entry, memory.allocator())) {
          ByteBuffer bytes = region.view(0, Math.toIntExact(region.length()));
          byte[] copy = new byte[bytes.remaining()];
          bytes.get(copy);
          out.write(copy);
        }
        out.closeEntry();
      }
    }
    assertBatchesMakeTheWhole(deflated);
  }

  /**
   * A uniform frame as StaticFrame writes it (one C-order float64 block of 200,000 x 16, 25.6 MB) read in
   * batches of 8,192 rows: the values are StaticFrame's, and no more than a few batches' worth of memory
   * (1 MiB each) is allocated at once, where reading it whole allocates the whole transposed block.
   */
  @Test
  void cOrderBlockIsTransposedOneBatchAtATime() throws IOException {
    PythonPeer.require("numpy", "static_frame");
    Path file = tmp.resolve("uniform.npz");
    String sums = PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        data = np.random.default_rng(3).random((200_000, 16))
        frame = sf.Frame(data, columns=["c%d" % i for i in range(16)])
        assert frame._blocks._blocks[0].flags.c_contiguous and frame._blocks._blocks[0].ndim == 2
        frame.to_npz(sys.argv[1])
        print(" ".join(repr(float(s)) for s in data.sum(axis=0)))
        """, file.toString()).strip();
    BufferAllocator allocator = memory.allocator();
    double[] got = new double[16];
    try (ArrowReader reader = NumpyTables.openReader(file, allocator, ReadOptions.DEFAULTS, 8192)) {
      VectorSchemaRoot batch = reader.getVectorSchemaRoot();
      int rows = 0;
      while (reader.loadNextBatch()) {
        for (int c = 0; c < 16; c++) {
          Float8Vector v = (Float8Vector) batch.getVector(c);
          for (int r = 0; r < v.getValueCount(); r++) {
            got[c] += v.get(r);
          }
        }
        rows += batch.getRowCount();
      }
      assertEquals(200_000, rows);
    }
    String[] expected = sums.split(" ");
    for (int c = 0; c < 16; c++) {
      // Summed in another order than NumPy's pairwise sum: equal to a few units in the last place.
      assertEquals(Double.parseDouble(expected[c]), got[c], 1e-9 * Math.abs(got[c]), "column " + c);
    }
    long batchBytes = 8192L * 16 * 8;
    assertTrue(allocator.getPeakMemoryAllocation() <= 4 * batchBytes,
        "peak " + allocator.getPeakMemoryAllocation() + " bytes for batches of " + batchBytes);
    // The control: read whole, the same file takes its whole transposed block.
    org.apache.arrow.vector.types.pojo.Schema wholeSchema;
    try (BufferAllocator whole = allocator.newChildAllocator("whole", 0, Long.MAX_VALUE);
        VectorSchemaRoot table = NumpyTables.read(file, whole)) {
      assertTrue(whole.getPeakMemoryAllocation() >= 200_000L * 16 * 8);
      wholeSchema = table.getSchema();
    }
    // Its outline (schema and rows, as a service describes a file) reads one row of the block.
    try (BufferAllocator outlining = allocator.newChildAllocator("outline", 0, Long.MAX_VALUE)) {
      NumpyTables.Outline outline = NumpyTables.outline(file, outlining, ReadOptions.DEFAULTS);
      assertEquals(200_000, outline.rows());
      assertEquals(wholeSchema, outline.schema());
      assertTrue(outlining.getPeakMemoryAllocation() < 64 << 10, "peak " + outlining.getPeakMemoryAllocation());
    }
  }

  /**
   * The same file read as one on another file system (positional reads into memory, nothing mapped) gives
   * the same outline and the same table, and is closed with the reader.
   */
  private void assertReadAsRemoteFileGivesTheWhole(Path path) throws IOException {
    BufferAllocator allocator = memory.allocator();
    try (VectorSchemaRoot whole = NumpyTables.read(path, allocator)) {
      RemoteFile outlined = RemoteFile.open(path);
      NumpyTables.Outline outline = NumpyTables.outline(outlined, allocator, ReadOptions.DEFAULTS);
      assertTrue(outlined.isClosed(), path + ": the outline closes the file");
      assertEquals(whole.getSchema(), outline.schema(), path + ": the remote outline's schema");
      assertEquals(whole.getRowCount(), outline.rows(), path + ": the remote outline's rows");
      if (path.toString().endsWith(".npz") && storedOnly(path)) {
        // the end records, the directory, a look at the layout, then every member's head in one read
        assertTrue(outlined.reads() <= 6, path + ": the outline took " + outlined.reads() + " reads");
      }
      RemoteFile file = RemoteFile.open(path);
      List<List<Object>> columns = new ArrayList<>();
      whole.getFieldVectors().forEach(v -> columns.add(new ArrayList<>()));
      try (ArrowReader reader = NumpyTables.openReader(file, allocator, ReadOptions.DEFAULTS, 7)) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        assertEquals(whole.getSchema(), batch.getSchema(), path + ": the remote read's schema");
        while (reader.loadNextBatch()) {
          for (int c = 0; c < columns.size(); c++) {
            columns.get(c).addAll(values(batch.getVector(c)));
          }
        }
      }
      assertTrue(file.isClosed(), path + ": the reader closes the file");
      if (path.toString().endsWith(".npz") && storedOnly(path)) {
        // the end records, the directory, a look at the layout, then every member in one read: not a read per
        // member and batch (hundreds for a frame in batches of 7 rows)
        assertTrue(file.reads() <= 6, path + ": " + file.reads() + " reads of the remote file");
      }
      for (int c = 0; c < columns.size(); c++) {
        assertEquals(values(whole.getVector(c)), columns.get(c), path + ": remote column " + c);
      }
    }
  }

  private static boolean storedOnly(Path npz) throws IOException {
    try (io.arrownpz.zip.ZipArchive zip = io.arrownpz.zip.ZipArchive.open(npz)) {
      return zip.allStored();
    }
  }

  /** Every value as Arrow Java gives it, bytes as hex (lists, tensors and structs compare by content). */
  private static List<Object> values(FieldVector v) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      Object o = v.getObject(i);
      out.add(o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : o);
    }
    return out;
  }

  private void assertBatchesMakeTheWhole(Path path) throws IOException {
    BufferAllocator allocator = memory.allocator();
    try (VectorSchemaRoot whole = NumpyTables.read(path, allocator)) {
      int rows = whole.getRowCount();
      NumpyTables.Outline outline = NumpyTables.outline(path, allocator, ReadOptions.DEFAULTS);
      assertEquals(whole.getSchema(), outline.schema(), path + ": the outline's schema, metadata included");
      assertEquals(rows, outline.rows(), path + ": the outline's rows");
      for (int batchRows : new int[] {1, 3, 8, 1000}) {
        List<List<Object>> columns = new ArrayList<>();
        whole.getFieldVectors().forEach(v -> columns.add(new ArrayList<>()));
        int batches = 0;
        try (ArrowReader reader = NumpyTables.openReader(path, allocator, ReadOptions.DEFAULTS, batchRows)) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          assertEquals(whole.getSchema(), batch.getSchema(), path + ": the schema, metadata included");
          while (reader.loadNextBatch()) {
            batches++;
            assertTrue(batch.getRowCount() <= batchRows);
            for (int c = 0; c < columns.size(); c++) {
              columns.get(c).addAll(values(batch.getVector(c)));
            }
          }
        }
        assertEquals(Math.max(1, (rows + batchRows - 1) / batchRows), batches, path + " in batches of " + batchRows);
        for (int c = 0; c < columns.size(); c++) {
          FieldVector v = whole.getVector(c);
          assertEquals(values(v), columns.get(c), path + " column " + v.getName() + " in batches of "
              + batchRows);
        }
      }
    }
    if (!Files.isDirectory(path)) {
      assertReadAsRemoteFileGivesTheWhole(path);
    }
  }
}
