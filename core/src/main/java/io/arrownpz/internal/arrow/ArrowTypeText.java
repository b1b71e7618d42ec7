package io.arrownpz.internal.arrow;

import io.arrownpz.arrow.FixedShapeTensorType;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** Arrow types spelled the way pyarrow prints them ({@code int64}, {@code timestamp[ns]}), for people to read. */
public final class ArrowTypeText {
  private ArrowTypeText() {}

  /** The field's type as pyarrow prints it; types pyarrow has no short name for as Arrow Java prints them. */
  public static String of(Field field) {
    ArrowType type = field.getType();
    if (type instanceof FixedShapeTensorType t) {
      return "fixed_shape_tensor[value_type=" + of(field.getChildren().get(0)) + ", shape="
          + java.util.Arrays.toString(t.shape()) + "]";
    }
    if (type instanceof ArrowType.FixedSizeList l) {
      return "fixed_size_list<" + of(field.getChildren().get(0)) + ">[" + l.getListSize() + "]";
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
      return "timestamp[" + unit(t.getUnit()) + "]";
    }
    if (type instanceof ArrowType.Duration d) {
      return "duration[" + unit(d.getUnit()) + "]";
    }
    if (type instanceof ArrowType.Date) {
      return "date32[day]";
    }
    if (type instanceof ArrowType.Bool) {
      return "bool";
    }
    if (type instanceof ArrowType.Utf8) {
      return "string";
    }
    if (type instanceof ArrowType.LargeUtf8) {
      return "large_string";
    }
    if (type instanceof ArrowType.Binary) {
      return "binary";
    }
    if (type instanceof ArrowType.LargeBinary) {
      return "large_binary";
    }
    if (type instanceof ArrowType.FixedSizeBinary b) {
      return "fixed_size_binary[" + b.getByteWidth() + "]";
    }
    return type.toString();
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
