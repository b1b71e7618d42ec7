package io.arrownpz.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;

/** A hashed field is the field it copies, to equality and hash, whatever its type, metadata and children. */
class HashedFieldTest {
  @Test
  void equalsAndHashesAsThePlainField() {
    Field element = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
        null);
    List<Field> fields = List.of(
        Field.nullable("a", new ArrowType.Int(64, true)),
        new Field("b", new FieldType(false, ArrowType.Utf8.INSTANCE, null, Map.of("numpy.descr", "<U6")), null),
        new Field("c", new FieldType(false, new ArrowType.FixedSizeList(3), null, Map.of("numpy.shape", "(4, 3)")),
            List.of(element)));
    for (Field plain : fields) {
      Field hashed = HashedField.of(plain);
      assertEquals(plain, hashed);
      assertEquals(hashed, plain);
      assertEquals(plain.hashCode(), hashed.hashCode());
      assertEquals(plain.getMetadata(), hashed.getMetadata());
      assertEquals(plain.getChildren(), hashed.getChildren());
      assertSame(hashed, HashedField.of(hashed));
      Field made = HashedField.of(plain.getName(), plain.getFieldType(), plain.getChildren());
      assertEquals(plain, made);
      assertEquals(made, plain);
      assertEquals(plain.hashCode(), made.hashCode());
      assertSame(made, HashedField.of(made));
    }
    assertNotEquals(HashedField.of(fields.get(0)), HashedField.of(fields.get(1)));
  }
}
