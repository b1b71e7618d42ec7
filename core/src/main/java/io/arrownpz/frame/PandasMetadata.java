package io.arrownpz.frame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.arrownpz.npy.NpyDtype;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The {@code pandas} schema metadata pyarrow writes and reads, so that
 * {@code pyarrow.feather.read_table(path).to_pandas()} rebuilds a frame's index and columns: which fields
 * are the index (or a range index when it is automatic), the dtype of each column level, and each
 * column's pandas and NumPy types.
 */
final class PandasMetadata {
  private static final JsonFactory JSON = new JsonFactory();
  // Written once per column: names and type texts quoted once, here, rather than scanned for escapes at
  // every column of every read.
  private static final SerializableString NAME = new SerializedString("name");
  private static final SerializableString FIELD_NAME = new SerializedString("field_name");
  private static final SerializableString PANDAS_TYPE = new SerializedString("pandas_type");
  private static final SerializableString NUMPY_TYPE = new SerializedString("numpy_type");
  private static final SerializableString METADATA = new SerializedString("metadata");

  private PandasMetadata() {}

  /**
   * @param indexFields the index fields, or empty for an automatic (range) index
   * @param indexNames the pandas name of each index level (null for none)
   * @param rows the row count, for a range index
   * @param columnFields the value fields, in order
   * @param columnLabels each column's label, one string per level
   * @param columnLevelDtypes the dtype of each column level
   * @param columnLevelNames the name of each column level (null for none)
   */
  static String of(List<Field> indexFields, List<String> indexNames, long rows, List<Field> columnFields,
      List<List<String>> columnLabels, List<NpyDtype> columnLevelDtypes, List<String> columnLevelNames) {
    // Written as a stream, not built as a tree: a frame of 10,000 columns is read often, and the tree
    // cost about as much as everything else its metadata needs.
    StringWriter out = new StringWriter(256 + 128 * (columnFields.size() + indexFields.size()));
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeArrayFieldStart("index_columns");
      if (indexFields.isEmpty()) {
        json.writeStartObject();
        json.writeStringField("kind", "range");
        json.writeNullField("name");
        json.writeNumberField("start", 0);
        json.writeNumberField("stop", rows);
        json.writeNumberField("step", 1);
        json.writeEndObject();
      } else {
        for (Field f : indexFields) {
          json.writeString(f.getName());
        }
      }
      json.writeEndArray();
      json.writeArrayFieldStart("column_indexes");
      for (int i = 0; i < columnLevelDtypes.size(); i++) {
        String name = columnLevelNames.get(i);
        Types types = levelTypes(columnLevelDtypes.get(i));
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("field_name", name);
        json.writeFieldName(PANDAS_TYPE);
        json.writeString(types.pandas());
        json.writeFieldName(NUMPY_TYPE);
        json.writeString(types.numpy());
        if (types == Types.UNICODE) {
          json.writeObjectFieldStart("metadata");
          json.writeStringField("encoding", "UTF-8");
          json.writeEndObject();
        } else {
          json.writeNullField("metadata");
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("columns");
      for (int i = 0; i < columnFields.size(); i++) {
        List<String> label = columnLabels.get(i);
        column(json, label.size() == 1 ? label.get(0) : Labels.tuple(label), columnFields.get(i));
      }
      for (int i = 0; i < indexFields.size(); i++) {
        column(json, indexNames.get(i), indexFields.get(i));
      }
      json.writeEndArray();
      json.writeObjectFieldStart("creator");
      json.writeStringField("library", "arrow-npz");
      json.writeStringField("version", "0.1.0");
      json.writeEndObject();
      json.writeStringField("pandas_version", "2.2.3");
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void column(JsonGenerator json, String name, Field field) throws IOException {
    Types types = arrowTypes(field.getType());
    json.writeStartObject();
    json.writeFieldName(NAME);
    json.writeString(name);
    json.writeFieldName(FIELD_NAME);
    json.writeString(field.getName());
    json.writeFieldName(PANDAS_TYPE);
    json.writeString(types.pandas());
    json.writeFieldName(NUMPY_TYPE);
    json.writeString(types.numpy());
    json.writeFieldName(METADATA);
    if (field.getType() instanceof ArrowType.Timestamp ts && ts.getTimezone() != null) {
      json.writeStartObject();
      json.writeStringField("timezone", ts.getTimezone());
      json.writeEndObject();
    } else {
      json.writeNull();
    }
    json.writeEndObject();
  }

  private static Types arrowTypes(ArrowType type) {
    if (type instanceof ArrowType.Int i) {
      return Types.integer(i.getIsSigned(), i.getBitWidth());
    }
    if (type instanceof ArrowType.FloatingPoint fp) {
      return switch (fp.getPrecision()) {
        case HALF -> Types.FLOAT16;
        case SINGLE -> Types.FLOAT32;
        case DOUBLE -> Types.FLOAT64;
      };
    }
    if (type instanceof ArrowType.Bool) {
      return Types.BOOL;
    }
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8 || type instanceof ArrowType.Utf8View) {
      return Types.UNICODE;
    }
    if (type instanceof ArrowType.Binary || type instanceof ArrowType.LargeBinary
        || type instanceof ArrowType.BinaryView || type instanceof ArrowType.FixedSizeBinary) {
      return Types.BYTES;
    }
    if (type instanceof ArrowType.Timestamp ts) {
      return ts.getTimezone() != null ? Types.DATETIMETZ : Types.DATETIME;
    }
    if (type instanceof ArrowType.Date) {
      return Types.DATE;
    }
    if (type instanceof ArrowType.Duration) {
      return Types.TIMEDELTA;
    }
    return Types.OBJECT;
  }

  /**
   * A column level's pandas type. pandas rebuilds labels from their text and casts it to this type, so
   * levels whose text does not cast back are declared as text: booleans ("False" casts to True) and
   * years or months (pandas cannot parse them as dates; StaticFrame has no pandas form for them either).
   */
  private static Types levelTypes(NpyDtype dtype) {
    if (dtype.kind() == io.arrownpz.npy.Kind.BOOL || dtype.kind() == io.arrownpz.npy.Kind.DATETIME
        && (dtype.unit() == io.arrownpz.npy.DateUnit.YEAR || dtype.unit() == io.arrownpz.npy.DateUnit.MONTH)) {
      return Types.UNICODE;
    }
    return switch (dtype.kind()) {
      case UNICODE -> Types.UNICODE;
      case BYTES, VOID -> Types.BYTES;
      case INT -> Types.integer(true, dtype.itemSize() * 8);
      case UINT -> Types.integer(false, dtype.itemSize() * 8);
      case FLOAT -> Types.floating(dtype.itemSize() * 8);
      case DATETIME -> Types.DATETIME;
      case TIMEDELTA -> Types.TIMEDELTA;
      default -> Types.OBJECT;
    };
  }

  /** A column's pandas type and NumPy type, as pyarrow names them, each quoted once. */
  private record Types(SerializableString pandas, SerializableString numpy) {
    static final Types FLOAT16 = same("float16");
    static final Types FLOAT32 = same("float32");
    static final Types FLOAT64 = same("float64");
    static final Types BOOL = same("bool");
    static final Types UNICODE = of("unicode", "object");
    static final Types BYTES = of("bytes", "object");
    static final Types DATETIME = of("datetime", "datetime64[ns]");
    static final Types DATETIMETZ = of("datetimetz", "datetime64[ns]");
    static final Types DATE = of("date", "object");
    static final Types TIMEDELTA = of("timedelta", "timedelta64[ns]");
    static final Types OBJECT = of("object", "object");
    private static final Types[] SIGNED = {same("int8"), same("int16"), same("int32"), same("int64")};
    private static final Types[] UNSIGNED = {same("uint8"), same("uint16"), same("uint32"), same("uint64")};

    /** int8 ... uint64; another width (none is read) gets its name spelled out. */
    static Types integer(boolean signed, int bits) {
      int i = Integer.numberOfTrailingZeros(bits) - 3;
      if (Integer.bitCount(bits) == 1 && i >= 0 && i < SIGNED.length) {
        return (signed ? SIGNED : UNSIGNED)[i];
      }
      return same((signed ? "int" : "uint") + bits);
    }

    /** float16, float32, float64; another width (a long double) gets its name spelled out. */
    static Types floating(int bits) {
      return switch (bits) {
        case 16 -> FLOAT16;
        case 32 -> FLOAT32;
        case 64 -> FLOAT64;
        default -> same("float" + bits);
      };
    }

    private static Types same(String name) {
      return of(name, name);
    }

    private static Types of(String pandas, String numpy) {
      return new Types(new SerializedString(pandas), new SerializedString(numpy));
    }
  }
}
