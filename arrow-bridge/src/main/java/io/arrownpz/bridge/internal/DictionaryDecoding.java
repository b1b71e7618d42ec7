package io.arrownpz.bridge.internal;

import io.arrownpz.internal.arrow.Gather;
import io.arrownpz.internal.arrow.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.complex.UnionVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Dictionary-encoded columns turned into plain ones, at any depth (a list of categories, a struct field
 * that is one), so that a table stands alone without the reader's dictionaries. Columns without
 * dictionaries are moved, not copied; a container holding a dictionary keeps its own buffers (validity,
 * offsets) and gets decoded children.
 */
final class DictionaryDecoding {
  private DictionaryDecoding() {}

  /** Whether a field or anything inside it is dictionary-encoded. */
  static boolean hasDictionary(Field field) {
    if (field.getDictionary() != null) {
      return true;
    }
    // A loop, not a stream: asked of every field of every file read, most of them without children.
    for (Field child : field.getChildren()) {
      if (hasDictionary(child)) {
        return true;
      }
    }
    return false;
  }

  /** The field a decoded vector has: value types in place of dictionary indices, at every depth. */
  static Field decodedField(Field field, DictionaryProvider dictionaries) {
    if (field.getDictionary() != null) {
      Field values = dictionary(field, dictionaries).getVector().getField();
      return new Field(field.getName(), new FieldType(field.isNullable(), values.getType(), null, field.getMetadata()),
          values.getChildren().stream().map(c -> decodedField(c, dictionaries)).toList());
    }
    if (!hasDictionary(field)) {
      return field;
    }
    return new Field(field.getName(), field.getFieldType(),
        field.getChildren().stream().map(c -> decodedField(c, dictionaries)).toList());
  }

  /**
   * The vector decoded into memory of {@code allocator}; {@code vector} is left empty (its buffers moved
   * or released) and the caller still closes it.
   */
  static FieldVector decode(FieldVector vector, DictionaryProvider dictionaries, BufferAllocator allocator) {
    Field field = vector.getField();
    if (field.getDictionary() != null) {
      Dictionary dictionary = dictionary(field, dictionaries);
      FieldVector dictionaryValues = dictionary.getVector();
      if (gathers(dictionaryValues)) {
        // Gathered by address: the dictionary's offsets and lengths are checked first, as a batch's are when
        // read (a fuzzed Feather file's dictionary with offsets past its data crashed the JVM).
        try {
          VectorChecks.check(dictionaryValues);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("column '" + field.getName() + "': its dictionary: " + e.getMessage(), e);
        }
        Field valueField = dictionaryValues.getField();
        Field named = new Field(field.getName(), new FieldType(field.isNullable() || valueField.isNullable(),
            valueField.getType(), null, field.getMetadata()), null);
        return Gather.take(dictionaryValues, named, rows(vector, dictionaryValues.getValueCount()),
            vector.getValueCount(), allocator);
      }
      try (ValueVector decoded = DictionaryEncoder.decode(vector, dictionary, allocator)) {
        FieldVector values = (FieldVector) decoded;
        if (hasDictionary(dictionaryValues.getField())) {
          // Dictionary values that are themselves encoded (a list or struct of categories): decode those
          // too. Arrow's decoding may leave the inner indices without their encoding in the field, so the
          // values are moved under the dictionary's own field, which has it.
          try (FieldVector inner = dictionaryValues.getField().createVector(allocator)) {
            values.makeTransferPair(inner).transfer();
            return rename(decode(inner, dictionaries, allocator), field, allocator);
          }
        }
        return rename(values, field, allocator);
      }
    }
    if (!hasDictionary(field)) {
      return Vectors.transfer(vector, allocator);
    }
    if (vector instanceof UnionVector || vector instanceof DenseUnionVector) {
      throw new io.arrownpz.UnsupportedDataException(field.getName(),
          "dictionary-encoded values inside a union are not supported");
    }
    // A container (list, large list, fixed-size list, struct, map) with an encoded child somewhere:
    // a new container over the same validity and offsets, with decoded children.
    List<FieldVector> children = new ArrayList<>();
    FieldVector out = null;
    try {
      for (FieldVector child : vector.getChildrenFromFields()) {
        children.add(decode(child, dictionaries, allocator));
      }
      List<Field> childFields = children.stream().map(FieldVector::getField).toList();
      out = new Field(field.getName(), field.getFieldType(), childFields).createVector(allocator);
      List<ArrowBuf> own = vector.getFieldBuffers();
      out.loadFieldBuffers(new ArrowFieldNode(vector.getValueCount(), vector.getNullCount()), own);
      List<FieldVector> targets = out.getChildrenFromFields();
      for (int i = 0; i < children.size(); i++) {
        children.get(i).makeTransferPair(targets.get(i)).transfer();
      }
      out.setValueCount(vector.getValueCount());
      return out;
    } catch (RuntimeException e) {
      if (out != null) {
        out.close();
      }
      throw e;
    } finally {
      children.forEach(FieldVector::close);
    }
  }

  /**
   * Whether a dictionary's values are gathered buffer to buffer ({@link Gather}): fixed-width values (not
   * bits), strings and binaries, large ones too. Arrow's own decoding copies value by value, growing the
   * output as it goes: 45% of converting pandas' partitions with a categorical to Parquet.
   */
  private static boolean gathers(FieldVector values) {
    Field field = values.getField();
    return field.getDictionary() == null && field.getChildren().isEmpty() && (values instanceof BaseVariableWidthVector
        || values instanceof BaseLargeVariableWidthVector
        || values instanceof BaseFixedWidthVector fixed && !(values instanceof BitVector) && fixed.getTypeWidth() > 0);
  }

  /**
   * Each row's dictionary index, -1 for a null one, checked to be inside the dictionary. Read from the
   * buffers' addresses (ArrowBuf's checked getters were a third of the decoding), once the buffers are known
   * to hold the rows.
   */
  private static int[] rows(FieldVector indices, int dictionarySize) {
    ArrowType.Int type = (ArrowType.Int) indices.getField().getType();
    int width = type.getBitWidth() / 8;
    boolean signed = type.getIsSigned();
    int count = indices.getValueCount();
    boolean noNulls = indices.getNullCount() == 0;
    if (indices.getDataBuffer().capacity() < (long) count * width
        || !noNulls && indices.getValidityBuffer().capacity() < (count + 7L) / 8) {
      throw new IllegalArgumentException("column '" + indices.getName() + "': its buffers are shorter than its "
          + count + " rows");
    }
    long data = indices.getDataBuffer().memoryAddress();
    long validity = indices.getValidityBuffer().memoryAddress();
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      if (!noNulls && (MemoryUtil.getByte(validity + (i >>> 3)) >> (i & 7) & 1) == 0) {
        rows[i] = -1;
        continue;
      }
      long at = data + (long) i * width;
      long index = switch (width) {
        case 1 -> signed ? MemoryUtil.getByte(at) : MemoryUtil.getByte(at) & 0xFF;
        case 2 -> signed ? MemoryUtil.getShort(at) : MemoryUtil.getShort(at) & 0xFFFF;
        case 4 -> signed ? MemoryUtil.getInt(at) : MemoryUtil.getInt(at) & 0xFFFFFFFFL;
        default -> MemoryUtil.getLong(at); // unsigned 64-bit past 2^63 reads negative: outside, as it is
      };
      if (index < 0 || index >= dictionarySize) {
        throw new IllegalArgumentException("column '" + indices.getName() + "': index "
            + (signed || index >= 0 ? Long.toString(index) : Long.toUnsignedString(index)) + " at row " + i
            + " is outside its dictionary of " + dictionarySize + " values");
      }
      rows[i] = (int) index;
    }
    return rows;
  }

  private static Dictionary dictionary(Field field, DictionaryProvider dictionaries) {
    Dictionary dictionary = dictionaries == null ? null : dictionaries.lookup(field.getDictionary().getId());
    if (dictionary == null) {
      throw new IllegalArgumentException("column '" + field.getName() + "' uses dictionary "
          + field.getDictionary().getId() + ", which the file does not hold");
    }
    return dictionary;
  }


  /** The decoded values under the encoded field's name, nullability and metadata. */
  private static FieldVector rename(FieldVector values, Field encoded, BufferAllocator allocator) {
    Field f = values.getField();
    Field named = new Field(encoded.getName(), new FieldType(encoded.isNullable() || f.isNullable(), f.getType(), null,
        encoded.getMetadata()), f.getChildren());
    TransferPair pair = values.getTransferPair(named, allocator);
    pair.transfer();
    return (FieldVector) pair.getTo();
  }
}
