package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.testing.AllocatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid Arrow table with two columns of one name (Arrow allows it): Feather keeps both; NPZ and Parquet,
 * which cannot, refuse it naming the input and the column, instead of losing a column or blaming the file.
 */
class RepeatedNamesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void repeatedNamesConvertOrAreRefusedByName() throws Exception {
    Path feather = tmp.resolve("dup.feather");
    try (BigIntVector a = new BigIntVector("r", memory.allocator());
         BigIntVector b = new BigIntVector("r", memory.allocator())) {
      a.allocateNew(1);
      b.allocateNew(1);
      a.set(0, 1);
      b.set(0, 2);
      a.setValueCount(1);
      b.setValueCount(1);
      try (VectorSchemaRoot table = new VectorSchemaRoot(List.of(a.getField(), b.getField()), List.of(a, b), 1)) {
        new Converter(memory.allocator()).write(table, feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
      }
    }
    Converter converter = new Converter(memory.allocator());
    try (VectorSchemaRoot back = converter.read(feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS)) {
      assertEquals(2, back.getFieldVectors().size());
    }
    for (FileFormat to : List.of(FileFormat.NPZ, FileFormat.PARQUET)) {
      Path out = tmp.resolve("dup." + to.formatName());
      BadFileException e = assertThrows(BadFileException.class,
          () -> converter.convert(feather, FileFormat.FEATHER, out, to, ConvertOptions.DEFAULTS));
      assertEquals(feather.toString(), e.file(), e.getMessage());
      assertTrue(e.getMessage().contains("'r"), e.getMessage());
      assertTrue(Files.notExists(out), "nothing written");
    }
  }
}
