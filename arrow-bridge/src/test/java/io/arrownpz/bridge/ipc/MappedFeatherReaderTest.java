package io.arrownpz.bridge.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.internal.SchemaChecks;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import io.arrownpz.testing.ProcessMemory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory-mapped Feather reader: the data of every batch lies inside the mapping, and it reads the
 * same batches, dictionaries included, as Arrow Java's own reader, on files pyarrow wrote and ours.
 */
class MappedFeatherReaderTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  static final String PYARROW_FILES = """
      import sys, os, datetime, numpy as np, pyarrow as pa, pyarrow.feather as feather
      d = sys.argv[1]
      n = 1000
      t = pa.table({
          'i': pa.array(range(n), pa.int64()),
          'f': pa.array([None if k % 7 == 0 else k * 0.5 for k in range(n)]),
          's': pa.array([None if k % 5 == 0 else f'v{k}é' for k in range(n)]),
          'day': pa.array([datetime.date(2020, 1, 1) + datetime.timedelta(days=k) for k in range(n)]),
          'ts': pa.array([k * 1_000_000 for k in range(n)], pa.timestamp('us', tz='Europe/Paris')),
          'list': pa.array([[k, k + 1] if k % 3 else [] for k in range(n)], pa.list_(pa.int32())),
          'cat': pa.array(['red', 'green', 'blue', 'red'] * (n // 4)).dictionary_encode(),
          'flag': pa.array([k % 2 == 0 for k in range(n)]),
      })
      for name, compression in [('none', 'uncompressed'), ('lz4', 'lz4'), ('zstd', 'zstd')]:
          feather.write_feather(t, os.path.join(d, f'pa_{name}.feather'), compression=compression, chunksize=300)
      """;

  @Test
  void equalsArrowsReaderAndPointsIntoTheFile() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(PYARROW_FILES, tmp.toString());
    Path ours = tmp.resolve("ours.feather");
    new Converter(memory.allocator()).convert(Fixtures.path("npz/packed_events.npz"), FileFormat.NPZ, ours,
        FileFormat.FEATHER, ConvertOptions.DEFAULTS);
    for (Path file : List.of(tmp.resolve("pa_none.feather"), ours)) {
      try (MappedFeatherReader mapped = MappedFeatherReader.open(file, memory.allocator());
           FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
           ArrowFileReader arrow = new ArrowFileReader(channel, memory.allocator())) {
        assertFalse(mapped.isCompressed());
        assertEquals(arrow.getRecordBlocks().size(), mapped.recordBlocks().size());
        int batches = 0;
        while (arrow.loadNextBatch()) {
          assertTrue(mapped.loadNextBatch());
          VectorSchemaRoot a = arrow.getVectorSchemaRoot();
          VectorSchemaRoot m = mapped.getVectorSchemaRoot();
          assertTrue(a.equals(m), file.getFileName() + " batch " + batches);
          for (FieldVector v : m.getFieldVectors()) {
            List<ArrowBuf> buffers = v.getFieldBuffers();
            // Buffer 0 is validity, which Arrow builds itself when the file has none; data and offsets
            // must be views.
            for (ArrowBuf b : buffers.subList(1, buffers.size())) {
              if (b.capacity() > 0) {
                long start = mapped.mapping().address();
                assertTrue(b.memoryAddress() >= start && b.memoryAddress() < start + mapped.mapping().length(),
                    v.getName() + " buffer inside the mapping");
              }
            }
          }
          batches++;
        }
        assertFalse(mapped.loadNextBatch());
        for (long id : arrow.getDictionaryIds()) {
          assertTrue(org.apache.arrow.vector.compare.VectorEqualsVisitor.vectorEquals(
              arrow.lookup(id).getVector(), mapped.lookup(id).getVector()), "dictionary " + id);
        }
        assertTrue(batches >= 1);
      }
    }
  }

  /**
   * A file of one batch is read straight into one table (not through the reader's root): the same
   * values and schema as Arrow's own reader, compressed or not, and the table stays readable after the
   * file is gone.
   */
  @Test
  void aFileOfOneBatchReadsWholeAsArrowReadsIt() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, os, datetime, pyarrow as pa, pyarrow.feather as feather
        n = 500
        t = pa.table({
            'i': pa.array(range(n), pa.int64()),
            'f': pa.array([None if k % 7 == 0 else k * 0.5 for k in range(n)]),
            's': pa.array([None if k % 5 == 0 else f'v{k}é' for k in range(n)]),
            'ts': pa.array([k * 1_000_000 for k in range(n)], pa.timestamp('us', tz='Europe/Paris')),
            'list': pa.array([[k, k + 1] if k % 3 else [] for k in range(n)], pa.list_(pa.int32())),
            'st': pa.array([{'a': k, 'b': str(k)} for k in range(n)]),
            'flag': pa.array([k % 2 == 0 for k in range(n)]),
        }).replace_schema_metadata({'note': 'kept'})
        for name, compression in [('none', 'uncompressed'), ('zstd', 'zstd')]:
            feather.write_feather(t, os.path.join(sys.argv[1], f'one_{name}.feather'), compression=compression)
        """, tmp.toString());
    for (String name : List.of("one_none.feather", "one_zstd.feather")) {
      Path file = tmp.resolve(name);
      try (VectorSchemaRoot table = io.arrownpz.bridge.ipc.FeatherFiles.read(file, memory.allocator());
           FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
           ArrowFileReader arrow = new ArrowFileReader(channel, memory.allocator(),
               io.arrownpz.bridge.compression.FastCompressionFactory.INSTANCE)) {
        assertTrue(arrow.loadNextBatch());
        assertEquals(arrow.getVectorSchemaRoot().getSchema(), table.getSchema(), name);
        assertTrue(arrow.getVectorSchemaRoot().equals(table), name);
        Files.delete(file);
        assertEquals("v1é", table.getVector("s").getObject(1).toString(), "readable after the file is gone");
      }
    }
  }

  @Test
  void theFooterHoldsNoSecondCopyOfTheSchemaMetadata() throws IOException {
    Path ours = tmp.resolve("frame.feather");
    new Converter(memory.allocator()).convert(Fixtures.path("sf/consolidated_2d.npz"), FileFormat.NPZ, ours,
        FileFormat.FEATHER, ConvertOptions.DEFAULTS);
    try (FileChannel channel = FileChannel.open(ours, StandardOpenOption.READ);
         ArrowFileReader arrow = new ArrowFileReader(channel, memory.allocator())) {
      assertTrue(arrow.getVectorSchemaRoot().getSchema().getCustomMetadata().containsKey("pandas"));
      // A wide frame's pandas description is a megabyte that every reader of the footer would decode twice.
      assertTrue(arrow.getMetaData().isEmpty(), "footer metadata: " + arrow.getMetaData().keySet());
    }
  }

  @Test
  void batchesLoadInAnyOrderAndOutliveTheReader() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(PYARROW_FILES, tmp.toString());
    Path file = tmp.resolve("pa_none.feather");
    FieldVector kept;
    try (MappedFeatherReader mapped = MappedFeatherReader.open(file, memory.allocator())) {
      mapped.loadRecordBatch(3);
      assertEquals(100, mapped.getVectorSchemaRoot().getRowCount());
      assertEquals(900L, mapped.getVectorSchemaRoot().getVector("i").getObject(0));
      mapped.loadRecordBatch(0);
      assertEquals(0L, mapped.getVectorSchemaRoot().getVector("i").getObject(0));
      kept = io.arrownpz.internal.arrow.Vectors.transfer(mapped.getVectorSchemaRoot().getVector("f"), memory.allocator());
    }
    try (kept) {
      assertEquals(0.5, kept.getObject(1), "still readable after the reader is closed");
    }
  }

  @Test
  void readingOnceGivesBackThePagesBehindAndKeepsEveryValue() throws IOException {
    PythonPeer.require("pyarrow");
    Path file = tmp.resolve("counting.feather");
    PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather
        feather.write_feather(pa.table({'i': np.arange(6 << 20, dtype=np.int64)}), sys.argv[1],
                              compression='uncompressed', chunksize=1 << 18)
        """, file.toString());
    long kept = residentGrowthKiB(file, false);
    long dropped = residentGrowthKiB(file, true);
    assertTrue(kept >= 32 << 10, "reading 48 MiB kept " + kept + " KiB resident");
    assertTrue(dropped <= 16 << 10, "reading 48 MiB once kept " + dropped + " KiB resident");
  }

  /**
   * How much this process's resident file memory grew while every batch of {@code file} was read in
   * order (values checked), the first batch's column kept to the end and checked again.
   */
  private long residentGrowthKiB(Path file, boolean once) throws IOException {
    try (MappedFeatherReader reader = MappedFeatherReader.open(file, memory.allocator())) {
      if (once) {
        reader.readOnce();
      }
      long before = ProcessMemory.residentMappedKiB();
      long row = 0;
      BigIntVector first = null;
      try {
        while (reader.loadNextBatch()) {
          BigIntVector i = (BigIntVector) reader.getVectorSchemaRoot().getVector(0);
          for (int k = 0; k < i.getValueCount(); k++, row++) {
            assertEquals(row, i.get(k));
          }
          if (first == null) {
            first = (BigIntVector) io.arrownpz.internal.arrow.Vectors.transfer(i, memory.allocator());
          }
        }
        long growth = ProcessMemory.residentMappedKiB() - before;
        assertEquals(6 << 20, row);
        for (int k = 0; k < first.getValueCount(); k++) {
          assertEquals(k, first.get(k), "a batch held from the start");
        }
        return growth;
      } finally {
        if (first != null) {
          first.close();
        }
      }
    }
  }

  @Test
  void compressedFilesAreDecompressedFromTheMapping() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(PYARROW_FILES, tmp.toString());
    try (VectorSchemaRoot plain = FeatherFiles.read(tmp.resolve("pa_none.feather"), memory.allocator())) {
      for (String codec : List.of("lz4", "zstd")) {
        Path file = tmp.resolve("pa_" + codec + ".feather");
        try (MappedFeatherReader mapped = MappedFeatherReader.open(file, memory.allocator())) {
          assertTrue(mapped.isCompressed());
          assertTrue(mapped.loadNextBatch());
          assertEquals(plain.getVector(0).getObject(7), mapped.getVectorSchemaRoot().getVector(0).getObject(7));
        }
        try (VectorSchemaRoot t = FeatherFiles.read(file, memory.allocator())) {
          assertEquals(1000, t.getRowCount());
          assertTrue(plain.equals(t), codec + " reads to the same table");
        }
      }
    }
  }

  /**
   * A compressed file read again, unchanged, is read through the mapping its first read kept (its batches
   * copied out of it, then decompressed): pyarrow's values every time. Writing the path anew lets the kept
   * mapping go; a file cut short after an open that found its mapping kept fails the read with the file's
   * one-line error, not a crash of the JVM, and leaves nothing allocated.
   */
  @Test
  void aCompressedFileReadAgainIsCopiedOutOfItsKeptMapping() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather
        n = 200_000
        rng = np.random.default_rng(7)
        t = pa.table({'i': pa.array(rng.integers(0, 2**62, n)), 's': pa.array([f'w{k % 977}' for k in range(n)])})
        for codec in ('lz4', 'zstd'):
            feather.write_feather(t, sys.argv[1] + f'/big_{codec}.feather', compression=codec, chunksize=50_000)
        feather.write_feather(t, sys.argv[1] + '/big_none.feather', compression='uncompressed')
        """, tmp.toString());
    try (VectorSchemaRoot plain = FeatherFiles.read(tmp.resolve("big_none.feather"), memory.allocator())) {
      for (String codec : List.of("lz4", "zstd")) {
        Path file = tmp.resolve("big_" + codec + ".feather");
        for (int pass = 0; pass < 3; pass++) {
          try (VectorSchemaRoot t = FeatherFiles.read(file, memory.allocator())) {
            assertTrue(plain.equals(t), codec + " read " + pass);
          }
        }
        // Cut short after it was opened: the batches past the cut are read from pages the file no longer has.
        try (MappedFeatherReader reader = MappedFeatherReader.open(file, memory.allocator())) {
          try (FileChannel cut = FileChannel.open(file, StandardOpenOption.WRITE)) {
            cut.truncate(64 << 10);
          }
          BadFileException e = assertThrows(BadFileException.class, () -> {
            while (reader.loadNextBatch()) {
              assertTrue(reader.getVectorSchemaRoot().getRowCount() > 0);
            }
          });
          assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("shrank"), e.getMessage());
        }

        FeatherFiles.write(plain, file, IpcCompression.named(codec));
        try (VectorSchemaRoot t = FeatherFiles.read(file, memory.allocator())) {
          assertTrue(plain.equals(t), codec + " written by us");
        }
      }
    }
  }

  /**
   * A Feather file read through a symbolic link, then written through it: the file it points to is
   * replaced (the link stays), and the next read through the link sees the new values.
   */
  @Test
  void writingThroughALinkLetsTheMappingKeptForItGo() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(PYARROW_FILES, tmp.toString());
    Path real = tmp.resolve("pa_lz4.feather");
    Path link = Files.createSymbolicLink(tmp.resolve("link.feather"), real.getFileName());
    try (VectorSchemaRoot plain = FeatherFiles.read(tmp.resolve("pa_none.feather"), memory.allocator())) {
      for (int pass = 0; pass < 2; pass++) {
        try (VectorSchemaRoot t = FeatherFiles.read(link, memory.allocator())) {
          assertTrue(plain.equals(t), "through the link, read " + pass);
        }
      }
      try (VectorSchemaRoot other = FeatherFiles.read(tmp.resolve("pa_zstd.feather"), memory.allocator());
          VectorSchemaRoot firstRows = other.slice(0, 10)) {
        FeatherFiles.write(firstRows, link, IpcCompression.named("lz4"));
      }
      assertTrue(Files.isSymbolicLink(link), "the link stays a link");
      try (VectorSchemaRoot t = FeatherFiles.read(link, memory.allocator())) {
        assertEquals(10, t.getRowCount());
        assertEquals(plain.getVector("s").getObject(7), t.getVector("s").getObject(7));
      }
    }
  }

  @Test
  void brokenFilesGetClearErrors() throws IOException {
    Path notArrow = tmp.resolve("x.feather");
    Files.write(notArrow, new byte[100]);
    BadFileException e = assertThrows(BadFileException.class, () -> MappedFeatherReader.open(notArrow, memory.allocator()));
    assertTrue(e.getMessage().contains("no ARROW1 magic"), e.getMessage());
    Path truncated = tmp.resolve("t.feather");
    new Converter(memory.allocator()).convert(Fixtures.path("npz/many_members.npz"), FileFormat.NPZ, truncated,
        FileFormat.FEATHER, ConvertOptions.DEFAULTS);
    byte[] all = Files.readAllBytes(truncated);
    byte[] cut = java.util.Arrays.copyOf(all, all.length - 20);
    System.arraycopy("ARROW1".getBytes(), 0, cut, cut.length - 6, 6);
    Files.write(truncated, cut);
    assertThrows(BadFileException.class, () -> {
      try (MappedFeatherReader r = MappedFeatherReader.open(truncated, memory.allocator())) {
        r.loadNextBatch();
      }
    });
  }

  @Test
  void aSchemaWhoseFieldsNestWithoutEndIsCorruptNotAStackOverflow() throws Exception {
    // Found by FeatherFuzzTest: the footer's flatbuffer points a field's child back into its own chain.
    Path cyclic = tmp.resolve("cyclic.feather");
    Files.copy(Path.of(getClass().getResource(
        "/io/arrownpz/bridge/fuzz/FeatherFuzzTestInputs/feather/crash-cyclic-schema-children").toURI()), cyclic);
    BadFileException e = assertThrows(BadFileException.class,
        () -> new Converter(memory.allocator()).read(cyclic, FileFormat.FEATHER, ConvertOptions.DEFAULTS));
    assertTrue(e.getMessage().startsWith(cyclic.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("nested more than " + SchemaChecks.MAX_DEPTH + " levels deep"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }
}
