package io.arrownpz.bridge.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.arrownpz.bridge.ipc.IpcStreamFiles;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset's endpoints, each spooled to a stream of its own, read as one: each batch with its own part's
 * dictionaries, encoded when all parts have the same fields, decoded when they do not.
 */
class ChainedReaderTest {
  private static final ArrowType.Int INT8 = new ArrowType.Int(8, true);
  private static final ArrowType.Int INT16 = new ArrowType.Int(16, true);

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void partsWithTheSameFieldsAreReadWithTheirOwnDictionaries() throws Exception {
    List<ChainedReader.Part> parts = List.of(part("a", INT8, new String[] {"a", "b"}, 0, 1, 0),
        part("b", INT8, new String[] {"x", "y"}, 1, 1));
    try (ChainedReader reader = new ChainedReader(parts, null, memory.allocator())) {
      assertNotNull(reader.getVectorSchemaRoot().getSchema().getFields().get(0).getDictionary(), "still encoded");
      assertEquals(List.of("a", "b", "a", "y", "y"), values(reader));
      assertEquals(5, reader.rowsRead());
    }
  }

  @Test
  void partsWhoseFieldsDifferAreDecoded() throws Exception {
    List<ChainedReader.Part> parts = List.of(part("a", INT8, new String[] {"a", "b"}, 0, 1, 0),
        part("b", INT16, new String[] {"x", "y"}, 1, 1));
    try (ChainedReader reader = new ChainedReader(parts, null, memory.allocator())) {
      Field k = reader.getVectorSchemaRoot().getSchema().getFields().get(0);
      assertNull(k.getDictionary(), "decoded");
      assertEquals(ArrowType.Utf8.INSTANCE, k.getType());
      assertEquals(List.of("a", "b", "a", "y", "y"), values(reader));
    }
  }

  /**
   * Parts whose columns differ once decoded are refused before any batch (their batches were loaded into the
   * first part's vectors, whatever they held), saying which part and how.
   */
  @Test
  void partsWhoseDecodedColumnsDifferAreRefused() throws Exception {
    List<ChainedReader.Part> parts = List.of(part("a", INT8, new String[] {"a"}, 0), seven());
    ChainedReader.PartsDiffer e = org.junit.jupiter.api.Assertions.assertThrows(ChainedReader.PartsDiffer.class,
        () -> new ChainedReader(parts, null, memory.allocator()));
    assertEquals(1, e.part());
    assertEquals("[k: Utf8]", e.firstColumns());
    assertEquals("[k: Int(32, true)]", e.partColumns());
  }

  /**
   * Without dictionary columns in the first part, a part is looked at only when its turn comes (one open a
   * part): one with dictionary columns is decoded on its own, one with other columns refused, by name.
   */
  @Test
  void laterPartsAreCheckedWhenTheirTurnComes() throws Exception {
    java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
    ChainedReader.Part plain = plain("plain", "a", "b");
    ChainedReader.Part counted = () -> {
      opened.incrementAndGet();
      return plain.open();
    };
    List<ChainedReader.Part> parts = List.of(counted, part("encoded", INT8, new String[] {"x", "y"}, 1, 0), counted);
    try (ChainedReader reader = new ChainedReader(parts, null, memory.allocator())) {
      assertEquals(List.of("a", "b", "y", "x", "a", "b"), values(reader));
    }
    assertEquals(3, opened.get(), "the first part twice (its fields, then its batches), the last once");

    List<ChainedReader.Part> mixed = List.of(plain, seven());
    try (ChainedReader reader = new ChainedReader("folder", List.of("a.arrows", "b.arrows"), mixed, null,
        memory.allocator())) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      org.junit.jupiter.api.Assertions.assertTrue(reader.loadNextBatch());
      assertEquals(2, root.getRowCount());
      ChainedReader.PartsDiffer e = org.junit.jupiter.api.Assertions.assertThrows(ChainedReader.PartsDiffer.class,
          reader::loadNextBatch);
      assertEquals("folder: its parts differ in columns: a.arrows has [k: Utf8], b.arrows has [k: Int(32, true)]",
          e.getMessage());
    }
  }

  /** An IPC stream of one batch, column 'k' the int32 7. */
  private ChainedReader.Part seven() throws IOException {
    Path file = tmp.resolve("seven.arrows");
    try (org.apache.arrow.vector.IntVector k = new org.apache.arrow.vector.IntVector("k", memory.allocator())) {
      k.allocateNew(1);
      k.set(0, 7);
      k.setValueCount(1);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(k)) {
        IpcStreamFiles.write(table, file, io.arrownpz.bridge.ipc.IpcCompression.NONE);
      }
    }
    return () -> IpcStreamFiles.openReader(file, memory.allocator());
  }

  /** An IPC stream of one batch, column 'k' plain strings. */
  private ChainedReader.Part plain(String name, String... words) throws IOException {
    Path file = tmp.resolve(name + ".arrows");
    try (VarCharVector k = new VarCharVector("k", memory.allocator())) {
      k.allocateNew();
      for (int i = 0; i < words.length; i++) {
        k.setSafe(i, words[i].getBytes(StandardCharsets.UTF_8));
      }
      k.setValueCount(words.length);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(k)) {
        IpcStreamFiles.write(table, file, io.arrownpz.bridge.ipc.IpcCompression.NONE);
      }
    }
    return () -> IpcStreamFiles.openReader(file, memory.allocator());
  }

  /**
   * A dataset of many endpoints is read with at most two parts open at a time, the one read and the next
   * (each held a file open, and thousands of them ran out of file descriptors), every value still there in order.
   */
  @Test
  void atMostTwoPartsAreOpenAtATime() throws Exception {
    java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    List<ChainedReader.Part> parts = new ArrayList<>();
    List<String> want = new ArrayList<>();
    for (int p = 0; p < 300; p++) {
      ChainedReader.Part file = part("p" + p, INT8, new String[] {"w" + p, "v" + p}, 1, 0);
      want.addAll(List.of("v" + p, "w" + p));
      parts.add(() -> {
        ArrowReader reader = file.open();
        most.accumulateAndGet(open.incrementAndGet(), Math::max);
        return new org.apache.arrow.vector.ipc.ArrowReader(memory.allocator()) {
          @Override
          public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
            return reader.getVectorSchemaRoot();
          }

          @Override
          public boolean loadNextBatch() throws IOException {
            return reader.loadNextBatch();
          }

          @Override
          public java.util.Set<Long> getDictionaryIds() {
            return reader.getDictionaryIds();
          }

          @Override
          public Dictionary lookup(long id) {
            return reader.lookup(id);
          }

          @Override
          public long bytesRead() {
            return reader.bytesRead();
          }

          @Override
          public void close(boolean closeReadSource) throws IOException {
            open.decrementAndGet();
            reader.close();
          }

          @Override
          protected void closeReadSource() {}

          @Override
          protected org.apache.arrow.vector.types.pojo.Schema readSchema() throws IOException {
            return reader.getVectorSchemaRoot().getSchema();
          }
        };
      });
    }
    try (ChainedReader reader = new ChainedReader(parts, null, memory.allocator())) {
      assertEquals(want, values(reader));
    }
    assertEquals(2, most.get(), "the part read, and the next one opened meanwhile");
    assertEquals(0, open.get());
  }

  /** Column k of every batch, each looked up as a writer would: in the reader's dictionaries of the moment. */
  private static List<String> values(ChainedReader reader) throws Exception {
    List<String> seen = new ArrayList<>();
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      FieldVector k = root.getVector(0);
      for (int i = 0; i < root.getRowCount(); i++) {
        if (k.getField().getDictionary() == null) {
          seen.add(k.getObject(i).toString());
        } else {
          VarCharVector words = (VarCharVector) reader.lookup(k.getField().getDictionary().getId()).getVector();
          seen.add(words.getObject((int) ((BaseIntVector) k).getValueAsLong(i)).toString());
        }
      }
    }
    return seen;
  }

  /** An IPC stream of one batch, column 'k' encoded with dictionary 0 of {@code words}, to open. */
  private ChainedReader.Part part(String name, ArrowType.Int indexType, String[] words, int... indices)
      throws IOException {
    BufferAllocator allocator = memory.allocator();
    DictionaryEncoding encoding = new DictionaryEncoding(0, false, indexType);
    Path file = tmp.resolve(name + ".arrows");
    try (VarCharVector values = new VarCharVector("k", allocator)) {
      values.allocateNew();
      for (int i = 0; i < words.length; i++) {
        values.setSafe(i, words[i].getBytes(StandardCharsets.UTF_8));
      }
      values.setValueCount(words.length);
      Field field = new Field("k", new FieldType(true, indexType, encoding), null);
      FieldVector k = field.createVector(allocator);
      k.allocateNew();
      for (int i = 0; i < indices.length; i++) {
        ((BaseIntVector) k).setWithPossibleTruncate(i, indices[i]);
      }
      k.setValueCount(indices.length);
      try (VectorSchemaRoot table = new VectorSchemaRoot(List.of(field), List.of(k), indices.length);
          FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          ArrowStreamWriter writer = new ArrowStreamWriter(table,
              new DictionaryProvider.MapDictionaryProvider(new Dictionary(values, encoding)), out)) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
    }
    return () -> IpcStreamFiles.openReader(file, allocator);
  }
}
