package io.arrownpz.bridge.parquet;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What Arrow C++'s Parquet writer can take, checked before it is handed any data: given a type it has no
 * Parquet form for, the native writer fails deep inside (for some types, in ways that end the process),
 * so such columns are refused here, by name. The list follows Arrow C++'s Arrow-to-Parquet schema
 * conversion: unions, run-end encoded arrays and intervals have no Parquet type. (String, binary and
 * list views, at any depth, are written as their plain forms, see {@link ViewColumns}.)
 */
final class ParquetTypes {
  private ParquetTypes() {}

  /** A one-line description of the first column Parquet cannot hold, or null. */
  static String unsupported(Schema schema) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Field field : schema.getFields()) {
      if (!names.add(field.getName())) {
        // Arrow C++ finds columns by name while writing ("Multiple matches for FieldRef.Name").
        return "column '" + field.getName() + "' appears twice; Parquet through Arrow C++ needs unique names";
      }
    }
    for (Field field : schema.getFields()) {
      String what = unsupported(field);
      if (what != null) {
        return "column '" + field.getName() + "': Parquet has no type for " + what;
      }
    }
    return null;
  }

  private static String unsupported(Field field) {
    ArrowType type = field.getType();
    while (type instanceof ArrowType.ExtensionType extension) {
      type = extension.storageType();
    }
    String what = switch (type.getTypeID()) {
      case Union -> "unions (" + type + ")";
      case RunEndEncoded -> "run-end encoded arrays";
      case Interval -> "intervals (" + type + ")";
      default -> null;
    };
    if (what != null) {
      return what;
    }
    for (Field child : field.getChildren()) {
      String inner = unsupported(child);
      if (inner != null) {
        return inner + " (inside " + type + ")";
      }
    }
    return null;
  }
}
