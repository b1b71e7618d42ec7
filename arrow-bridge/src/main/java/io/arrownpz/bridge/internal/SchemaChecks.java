package io.arrownpz.bridge.internal;

import java.io.IOException;
import org.apache.arrow.flatbuf.Decimal;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.flatbuf.Type;

/**
 * Checks of a schema as the file states it (its flatbuffer), before Arrow's schema conversion walks it:
 * what Arrow Java cannot represent is refused with the column named, and a schema nested deeper than any
 * reader allows is refused as corrupt. A flatbuffer's offsets can point a field's child back at the
 * field itself, and every recursive walk over such a schema (Arrow's conversion included) would end in
 * a StackOverflowError. Used by the IPC readers on the schema message or footer, and on the Arrow schema a
 * Parquet writer stored in its footer ({@code ARROW:schema}) when Arrow C++ cannot read the file.
 */
public final class SchemaChecks {
  /** Nesting depth beyond which a schema is taken for corrupt (Arrow C++'s IPC reader stops at 64 too). */
  public static final int MAX_DEPTH = 64;

  private SchemaChecks() {}

  /**
   * A one-line description of the first column Arrow Java 18.3 cannot hold, or null.
   *
   * @throws IOException if fields nest deeper than {@link #MAX_DEPTH} (a corrupt or cyclic schema)
   */
  public static String unsupported(Schema schema) throws IOException {
    for (int i = 0; i < schema.fieldsLength(); i++) {
      Field column = schema.fields(i);
      String problem = unsupported(column, column, 1);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** {@code column} is the top-level field {@code field} is in; its name is decoded only for a message. */
  private static String unsupported(Field field, Field column, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("column '" + column.name() + "': fields nested more than " + MAX_DEPTH
          + " levels deep (a corrupt or cyclic schema)");
    }
    if (field.typeType() == Type.Int) {
      int bits = ((Int) field.type(new Int())).bitWidth();
      if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
        // polars writes its Int128 columns so; Arrow C++ (pyarrow) refuses them too
        return "column '" + column.name() + "': " + bits + "-bit integers are not an Arrow type (the format has 8, "
            + "16, 32 and 64 bits; polars writes its Int128 columns so); cast the column to Int64 or a decimal first";
      }
    }
    if (field.typeType() == Type.Decimal) {
      Decimal decimal = (Decimal) field.type(new Decimal());
      int bits = decimal.bitWidth();
      if (bits != 128 && bits != 256) {
        return "column '" + column.name() + "': decimal" + bits + "(" + decimal.precision() + ", " + decimal.scale()
            + ") is not supported (Arrow Java 18.3 holds 128- and 256-bit decimals only); cast it to decimal128 first";
      }
    }
    for (int i = 0; i < field.childrenLength(); i++) {
      String problem = unsupported(field.children(i), column, depth + 1);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }
}
