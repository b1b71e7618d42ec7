package io.arrownpz.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arrownpz.testing.AllocatorExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dictionary columns decoded into plain ones: values, nulls (of the index or of the dictionary's value),
 * names and types as Arrow Java's own decoder gives them, for the values gathered buffer to buffer (strings,
 * large strings, fixed-width values under unsigned indices) and for those it still decodes (booleans).
 */
class DictionaryDecodingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void decodedAsArrowDecodesThem() {
    BufferAllocator allocator = memory.allocator();
    try (VarCharVector words = new VarCharVector("words", allocator);
        LargeVarCharVector large = new LargeVarCharVector("large", allocator);
        Float8Vector floats = new Float8Vector("floats", allocator);
        BitVector bits = new BitVector("bits", allocator)) {
      String[] text = {"red", null, "", "grün", "blue"};
      words.allocateNew();
      large.allocateNew();
      floats.allocateNew(text.length);
      bits.allocateNew(text.length);
      for (int i = 0; i < text.length; i++) {
        if (text[i] != null) {
          words.setSafe(i, text[i].getBytes(StandardCharsets.UTF_8));
          large.setSafe(i, text[i].getBytes(StandardCharsets.UTF_8));
          floats.set(i, i / 4.0);
          bits.set(i, i % 2);
        }
      }
      for (FieldVector v : List.of(words, large, floats, bits)) {
        v.setValueCount(text.length);
      }
      long id = 0;
      for (FieldVector values : List.of(words, large, floats, bits)) {
        Dictionary dictionary = new Dictionary(values, new DictionaryEncoding(id, false, new ArrowType.Int(16, false)));
        DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(dictionary);
        Field encoded = new Field("c", new FieldType(true, new ArrowType.Int(16, false), dictionary.getEncoding(),
            java.util.Map.of("k", "v")), null);
        try (UInt2Vector indices = (UInt2Vector) encoded.createVector(allocator)) {
          int rows = 1_000;
          indices.allocateNew(rows);
          for (int i = 0; i < rows; i++) {
            if (i % 7 == 3) {
              indices.setNull(i);
            } else {
              indices.set(i, (i * 31) % text.length);
            }
          }
          indices.setValueCount(rows);
          try (FieldVector ours = DictionaryDecoding.decode(indices, provider, allocator);
              FieldVector arrows = (FieldVector) DictionaryEncoder.decode(indices, dictionary, allocator)) {
            assertEquals("c", ours.getName());
            assertEquals(values.getField().getType(), ours.getField().getType());
            assertEquals(java.util.Map.of("k", "v"), ours.getField().getMetadata());
            assertEquals(rows, ours.getValueCount());
            assertEquals(arrows.getNullCount(), ours.getNullCount(), values.getName());
            assertEquals(objects(arrows), objects(ours), values.getName());
            Tables.validate(new org.apache.arrow.vector.VectorSchemaRoot(List.of(ours)));
          }
        }
        id++;
      }
    }
  }

  @Test
  void anIndexOutsideItsDictionaryIsRefusedByColumn() {
    BufferAllocator allocator = memory.allocator();
    try (VarCharVector words = new VarCharVector("words", allocator)) {
      words.allocateNew();
      words.setSafe(0, "only".getBytes(StandardCharsets.UTF_8));
      words.setValueCount(1);
      Dictionary dictionary = new Dictionary(words, new DictionaryEncoding(3, false, new ArrowType.Int(8, true)));
      Field encoded = new Field("kind", new FieldType(true, new ArrowType.Int(8, true), dictionary.getEncoding()), null);
      try (FieldVector indices = encoded.createVector(allocator)) {
        BaseIntVector ints = (BaseIntVector) indices;
        indices.setInitialCapacity(2);
        indices.allocateNew();
        ints.setWithPossibleTruncate(0, 0);
        ints.setWithPossibleTruncate(1, 1);
        indices.setValueCount(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> DictionaryDecoding.decode(indices, new DictionaryProvider.MapDictionaryProvider(dictionary), allocator));
        assertEquals("column 'kind': index 1 at row 1 is outside its dictionary of 1 values", e.getMessage());
      }
    }
  }

  private static List<Object> objects(FieldVector vector) {
    List<Object> all = new ArrayList<>();
    for (int i = 0; i < vector.getValueCount(); i++) {
      Object value = vector.getObject(i);
      all.add(value == null ? null : value.toString());
    }
    return all;
  }
}
