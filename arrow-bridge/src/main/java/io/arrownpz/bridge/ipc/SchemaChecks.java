package io.arrownpz.bridge.ipc;

import org.apache.arrow.flatbuf.Decimal;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.flatbuf.Type;

/**
 * Checks of a schema as the file states it (its flatbuffer), for what Arrow Java cannot represent:
 * such a file is refused with the column named, before Arrow's schema conversion fails with a message
 * about the library.
 */
final class SchemaChecks {
  private SchemaChecks() {}

  /** A one-line description of the first column Arrow Java 18.3 cannot hold, or null. */
  static String unsupported(Schema schema) {
    for (int i = 0; i < schema.fieldsLength(); i++) {
      String problem = unsupported(schema.fields(i), schema.fields(i).name());
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String unsupported(Field field, String column) {
    if (field.typeType() == Type.Decimal) {
      Decimal decimal = (Decimal) field.type(new Decimal());
      int bits = decimal.bitWidth();
      if (bits != 128 && bits != 256) {
        return "column '" + column + "': decimal" + bits + "(" + decimal.precision() + ", " + decimal.scale()
            + ") is not supported (Arrow Java 18.3 holds 128- and 256-bit decimals only); cast it to decimal128 first";
      }
    }
    for (int i = 0; i < field.childrenLength(); i++) {
      String problem = unsupported(field.children(i), column);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }
}
