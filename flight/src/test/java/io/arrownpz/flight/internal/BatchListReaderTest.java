package io.arrownpz.flight.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.arrownpz.testing.AllocatorExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batches of a dataset's endpoints handed to a writer: each batch read with the dictionaries it came
 * with, encoded when all batches have the same fields, decoded when they do not.
 */
class BatchListReaderTest {
  private static final ArrowType.Int INT8 = new ArrowType.Int(8, true);
  private static final ArrowType.Int INT16 = new ArrowType.Int(16, true);

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void batchesWithTheSameFieldsAreReadWithTheirOwnDictionaries() throws Exception {
    List<FetchedBatch> batches = new ArrayList<>(List.of(
        batch(INT8, new String[] {"a", "b"}, 0, 1, 0), batch(INT8, new String[] {"x", "y"}, 1, 1)));
    try (BatchListReader reader = new BatchListReader(null, batches, memory.allocator())) {
      assertNotNull(reader.getVectorSchemaRoot().getSchema().getFields().get(0).getDictionary(), "still encoded");
      assertEquals(List.of("a", "b", "a", "y", "y"), values(reader));
    }
  }

  @Test
  void batchesWhoseFieldsDifferAreDecoded() throws Exception {
    List<FetchedBatch> batches = new ArrayList<>(List.of(
        batch(INT8, new String[] {"a", "b"}, 0, 1, 0), batch(INT16, new String[] {"x", "y"}, 1, 1)));
    try (BatchListReader reader = new BatchListReader(null, batches, memory.allocator())) {
      Field k = reader.getVectorSchemaRoot().getSchema().getFields().get(0);
      assertNull(k.getDictionary(), "decoded");
      assertEquals(ArrowType.Utf8.INSTANCE, k.getType());
      assertEquals(List.of("a", "b", "a", "y", "y"), values(reader));
    }
  }

  /** Column k of every batch, each looked up as a writer would: in the reader's dictionaries of the moment. */
  private static List<String> values(BatchListReader reader) throws Exception {
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

  /** A batch of one column 'k' encoded with dictionary 0 of {@code words}, in a snapshot of its own. */
  private FetchedBatch batch(ArrowType.Int indexType, String[] words, int... indices) {
    BufferAllocator allocator = memory.allocator();
    DictionaryEncoding encoding = new DictionaryEncoding(0, false, indexType);
    VarCharVector values = new VarCharVector("k", allocator);
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
    VectorSchemaRoot table = new VectorSchemaRoot(List.of(field), List.of(k), indices.length);
    return new FetchedBatch(table, DictionarySnapshot.owning(Map.of(0L, new Dictionary(values, encoding))));
  }
}
