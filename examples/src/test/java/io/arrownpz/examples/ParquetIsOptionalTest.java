package io.arrownpz.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project that depends on the bridge alone, as this one does, converts to and from Feather without Arrow
 * C++'s dataset library; asking for Parquet says which artifact to add, and writes nothing.
 */
class ParquetIsOptionalTest {
  @TempDir Path tmp;

  @Test
  void featherWithoutArrowDatasetAndParquetNamesIt() throws Exception {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.arrow.dataset.jni.JniLoader"),
        "this project's class path has no arrow-dataset");
    try (BufferAllocator allocator = new RootAllocator(); BigIntVector id = new BigIntVector("id", allocator)) {
      id.allocateNew(3);
      for (int i = 0; i < 3; i++) {
        id.set(i, i);
      }
      id.setValueCount(3);
      Converter converter = new Converter(allocator);
      Path feather = tmp.resolve("t.feather");
      try (VectorSchemaRoot table = VectorSchemaRoot.of(id)) {
        converter.write(table, feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
        try (VectorSchemaRoot back = converter.read(feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS)) {
          assertEquals(3, back.getRowCount());
        }
        Path parquet = tmp.resolve("t.parquet");
        UnsupportedOperationException write = assertThrows(UnsupportedOperationException.class,
            () -> converter.write(table, parquet, FileFormat.PARQUET, ConvertOptions.DEFAULTS));
        assertTrue(write.getMessage().contains("org.apache.arrow:arrow-dataset"), write.getMessage());
        assertFalse(Files.exists(parquet), "nothing written");
        Files.write(parquet, new byte[] {'P', 'A', 'R', '1', 0, 0, 0, 0, 'P', 'A', 'R', '1'});
        UnsupportedOperationException read = assertThrows(UnsupportedOperationException.class,
            () -> converter.read(parquet, FileFormat.PARQUET, ConvertOptions.DEFAULTS).close());
        assertTrue(read.getMessage().contains("org.apache.arrow:arrow-dataset"), read.getMessage());
      }
    }
  }
}
