package io.arrownpz.frame;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.npy.NpyDtype;
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
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

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
    ObjectNode root = F.objectNode();
    ArrayNode indexColumns = root.putArray("index_columns");
    if (indexFields.isEmpty()) {
      ObjectNode range = indexColumns.addObject();
      range.put("kind", "range");
      range.putNull("name");
      range.put("start", 0);
      range.put("stop", rows);
      range.put("step", 1);
    } else {
      indexFields.forEach(f -> indexColumns.add(f.getName()));
    }
    ArrayNode levels = root.putArray("column_indexes");
    for (int i = 0; i < columnLevelDtypes.size(); i++) {
      ObjectNode level = levels.addObject();
      String name = columnLevelNames.get(i);
      level.put("name", name);
      level.put("field_name", name);
      String[] types = levelTypes(columnLevelDtypes.get(i));
      level.put("pandas_type", types[0]);
      level.put("numpy_type", types[1]);
      if ("unicode".equals(types[0])) {
        level.putObject("metadata").put("encoding", "UTF-8");
      } else {
        level.putNull("metadata");
      }
    }
    ArrayNode columns = root.putArray("columns");
    for (int i = 0; i < columnFields.size(); i++) {
      List<String> label = columnLabels.get(i);
      column(columns, label.size() == 1 ? label.get(0) : Labels.tuple(label), columnFields.get(i));
    }
    for (int i = 0; i < indexFields.size(); i++) {
      column(columns, indexNames.get(i), indexFields.get(i));
    }
    ObjectNode creator = root.putObject("creator");
    creator.put("library", "arrow-npz");
    creator.put("version", "0.1.0");
    root.put("pandas_version", "2.2.3");
    return root.toString();
  }

  private static void column(ArrayNode columns, String name, Field field) {
    ObjectNode c = columns.addObject();
    c.put("name", name);
    c.put("field_name", field.getName());
    String[] types = arrowTypes(field.getType());
    c.put("pandas_type", types[0]);
    c.put("numpy_type", types[1]);
    if (field.getType() instanceof ArrowType.Timestamp ts && ts.getTimezone() != null) {
      c.putObject("metadata").put("timezone", ts.getTimezone());
    } else {
      c.putNull("metadata");
    }
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
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
      return new String[] {"unicode", "object"};
    }
    if (type instanceof ArrowType.Binary || type instanceof ArrowType.LargeBinary
        || type instanceof ArrowType.FixedSizeBinary) {
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
