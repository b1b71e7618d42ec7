package io.arrownpz.frame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
        String[] types = levelTypes(columnLevelDtypes.get(i));
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("field_name", name);
        json.writeStringField("pandas_type", types[0]);
        json.writeStringField("numpy_type", types[1]);
        if ("unicode".equals(types[0])) {
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
    String[] types = arrowTypes(field.getType());
    json.writeStartObject();
    json.writeStringField("name", name);
    json.writeStringField("field_name", field.getName());
    json.writeStringField("pandas_type", types[0]);
    json.writeStringField("numpy_type", types[1]);
    if (field.getType() instanceof ArrowType.Timestamp ts && ts.getTimezone() != null) {
      json.writeObjectFieldStart("metadata");
      json.writeStringField("timezone", ts.getTimezone());
      json.writeEndObject();
    } else {
      json.writeNullField("metadata");
    }
    json.writeEndObject();
  }

  private static String[] arrowTypes(ArrowType type) {
    if (type instanceof ArrowType.Int i) {
      String t = (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
      return new String[] {t, t};
    }
    if (type instanceof ArrowType.FloatingPoint fp) {
      String t = switch (fp.getPrecision()) {
        case HALF -> "float16";
        case SINGLE -> "float32";
        case DOUBLE -> "float64";
      };
      return new String[] {t, t};
    }
    if (type instanceof ArrowType.Bool) {
      return new String[] {"bool", "bool"};
    }
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8 || type instanceof ArrowType.Utf8View) {
      return new String[] {"unicode", "object"};
    }
    if (type instanceof ArrowType.Binary || type instanceof ArrowType.LargeBinary
        || type instanceof ArrowType.BinaryView || type instanceof ArrowType.FixedSizeBinary) {
      return new String[] {"bytes", "object"};
    }
    if (type instanceof ArrowType.Timestamp ts) {
      return new String[] {ts.getTimezone() != null ? "datetimetz" : "datetime", "datetime64[ns]"};
    }
    if (type instanceof ArrowType.Date) {
      return new String[] {"date", "object"};
    }
    if (type instanceof ArrowType.Duration) {
      return new String[] {"timedelta", "timedelta64[ns]"};
    }
    return new String[] {"object", "object"};
  }

  /**
   * A column level's pandas type. pandas rebuilds labels from their text and casts it to this type, so
   * levels whose text does not cast back are declared as text: booleans ("False" casts to True) and
   * years or months (pandas cannot parse them as dates; StaticFrame has no pandas form for them either).
   */
  private static String[] levelTypes(NpyDtype dtype) {
    if (dtype.kind() == io.arrownpz.npy.Kind.BOOL || dtype.kind() == io.arrownpz.npy.Kind.DATETIME
        && (dtype.unit() == io.arrownpz.npy.DateUnit.YEAR || dtype.unit() == io.arrownpz.npy.DateUnit.MONTH)) {
      return new String[] {"unicode", "object"};
    }
    return switch (dtype.kind()) {
      case UNICODE -> new String[] {"unicode", "object"};
      case BYTES, VOID -> new String[] {"bytes", "object"};
      case INT, UINT, FLOAT, BOOL -> {
        String t = switch (dtype.kind()) {
          case INT -> "int" + dtype.itemSize() * 8;
          case UINT -> "uint" + dtype.itemSize() * 8;
          case FLOAT -> "float" + dtype.itemSize() * 8;
          default -> "bool";
        };
        yield new String[] {t, t};
      }
      case DATETIME -> new String[] {"datetime", "datetime64[ns]"};
      case TIMEDELTA -> new String[] {"timedelta", "timedelta64[ns]"};
      default -> new String[] {"object", "object"};
    };
  }
}
