package io.arrownpz.internal.arrow;

import io.arrownpz.arrow.FixedShapeTensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.arrow.vector.types.UnionMode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Arrow types spelled the way pyarrow prints them ({@code int64}, {@code timestamp[ns]}), for people to read. */
public final class ArrowTypeText {
  private ArrowTypeText() {}

  /**
   * The field's type as pyarrow prints it ({@code str(field.type)}), nested types with their children and
   * extension types by name; types pyarrow has no spelling for here as Arrow Java prints them.
   */
  public static String of(Field field) {
    return of(field, id -> null);
  }

  /**
   * As {@link #of(Field)}, with dictionary-encoded fields (whose type is their indices', at any depth)
   * printed with their values' field, which {@code dictionaryValues} finds by dictionary id (null: unknown).
   */
  public static String of(Field field, LongFunction<Field> dictionaryValues) {
    ArrowType type = field.getType();
    DictionaryEncoding encoding = field.getDictionary();
    Field values = encoding == null ? null : dictionaryValues.apply(encoding.getId());
    if (values != null) {
      return "dictionary<values=" + of(values, dictionaryValues) + ", indices="
          + of(new Field(field.getName(), new FieldType(field.isNullable(), encoding.getIndexType(), null), List.of()))
          + ", ordered=" + (encoding.isOrdered() ? 1 : 0) + ">";
    }
    if (type instanceof FixedShapeTensorType t) {
      return "fixed_shape_tensor[value_type=" + of(field.getChildren().get(0)) + ", shape="
          + java.util.Arrays.toString(t.shape()) + "]";
    }
    String extension = field.getMetadata().get(ArrowType.ExtensionType.EXTENSION_METADATA_KEY_NAME);
    if (extension != null) {
      return "extension<" + extension + ">"; // an extension type Arrow Java does not know, kept by name
    }
    if (type instanceof ArrowType.FixedSizeList l) {
      return "fixed_size_list<" + child(field, 0, dictionaryValues) + ">[" + l.getListSize() + "]";
    }
    if (type instanceof ArrowType.List || type instanceof ArrowType.LargeList || type instanceof ArrowType.ListView
        || type instanceof ArrowType.LargeListView) {
      String kind = type instanceof ArrowType.List ? "list" : type instanceof ArrowType.LargeList ? "large_list"
          : type instanceof ArrowType.ListView ? "list_view" : "large_list_view";
      return kind + "<" + child(field, 0, dictionaryValues) + ">";
    }
    if (type instanceof ArrowType.Struct) {
      List<String> children = new ArrayList<>();
      for (int i = 0; i < field.getChildren().size(); i++) {
        children.add(child(field, i, dictionaryValues));
      }
      return "struct<" + String.join(", ", children) + ">";
    }
    if (type instanceof ArrowType.Map m) {
      Field entries = field.getChildren().get(0);
      return "map<" + of(entries.getChildren().get(0), dictionaryValues) + ", "
          + of(entries.getChildren().get(1), dictionaryValues)
          + (m.getKeysSorted() ? ", keys_sorted" : "") + ">";
    }
    if (type instanceof ArrowType.Union u) {
      List<String> members = new ArrayList<>();
      for (int i = 0; i < field.getChildren().size(); i++) {
        int code = u.getTypeIds() == null ? i : u.getTypeIds()[i];
        members.add(child(field, i, dictionaryValues) + "=" + code);
      }
      return (u.getMode() == UnionMode.Dense ? "dense" : "sparse") + "_union<" + String.join(", ", members) + ">";
    }
    if (type instanceof ArrowType.RunEndEncoded) {
      // Run ends are never null, and pyarrow does not say so.
      Field ends = field.getChildren().get(0);
      return "run_end_encoded<" + ends.getName() + ": " + of(ends, dictionaryValues) + ", "
          + child(field, 1, dictionaryValues) + ">";
    }
    if (type instanceof ArrowType.Interval i) {
      return switch (i.getUnit()) {
        case YEAR_MONTH -> "month_interval";
        case DAY_TIME -> "day_time_interval";
        case MONTH_DAY_NANO -> "month_day_nano_interval";
      };
    }
    if (type instanceof ArrowType.Int i) {
      return (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      return switch (f.getPrecision()) {
        case HALF -> "halffloat";
        case SINGLE -> "float";
        case DOUBLE -> "double";
      };
    }
    if (type instanceof ArrowType.Timestamp t) {
      return "timestamp[" + unit(t.getUnit()) + (t.getTimezone() == null ? "" : ", tz=" + t.getTimezone()) + "]";
    }
    if (type instanceof ArrowType.Duration d) {
      return "duration[" + unit(d.getUnit()) + "]";
    }
    if (type instanceof ArrowType.Time t) {
      return "time" + t.getBitWidth() + "[" + unit(t.getUnit()) + "]";
    }
    if (type instanceof ArrowType.Date d) {
      return d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? "date32[day]" : "date64[ms]";
    }
    if (type instanceof ArrowType.Decimal d) {
      return "decimal" + d.getBitWidth() + "(" + d.getPrecision() + ", " + d.getScale() + ")";
    }
    String simple = simpleName(type);
    return simple != null ? simple : type.toString();
  }

  /** Types of no parameters, by pyarrow's names; null for the others. */
  private static String simpleName(ArrowType type) {
    return switch (type.getTypeID()) {
      case Null -> "null";
      case Bool -> "bool";
      case Utf8 -> "string";
      case LargeUtf8 -> "large_string";
      case Utf8View -> "string_view";
      case Binary -> "binary";
      case LargeBinary -> "large_binary";
      case BinaryView -> "binary_view";
      case FixedSizeBinary -> "fixed_size_binary[" + ((ArrowType.FixedSizeBinary) type).getByteWidth() + "]";
      default -> null;
    };
  }

  /** A child as pyarrow prints it inside its parent: its name, its type, and "not null" where it has none. */
  private static String child(Field parent, int index, LongFunction<Field> dictionaryValues) {
    Field c = parent.getChildren().get(index);
    return c.getName() + ": " + of(c, dictionaryValues) + (c.isNullable() ? "" : " not null");
  }

  private static String unit(org.apache.arrow.vector.types.TimeUnit unit) {
    return switch (unit) {
      case SECOND -> "s";
      case MILLISECOND -> "ms";
      case MICROSECOND -> "us";
      case NANOSECOND -> "ns";
    };
  }
}
