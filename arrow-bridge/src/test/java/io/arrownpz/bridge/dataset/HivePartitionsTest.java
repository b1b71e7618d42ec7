package io.arrownpz.bridge.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders are partitioned the Hive way, and what their folders' names say. */
class HivePartitionsTest {
  @TempDir Path root;

  @Test
  void valuesArePercentDecodedAsPyarrowWritesThem() {
    assertEquals("a/b c", HivePartitions.decode("a%2Fb%20c"));
    assertEquals("x=y%z", HivePartitions.decode("x%3Dy%25z"));
    assertEquals("São Paulo", HivePartitions.decode("S%C3%A3o%20Paulo"));
    assertEquals("a+b", HivePartitions.decode("a+b")); // not form encoding
    assertEquals("100%", HivePartitions.decode("100%")); // a malformed escape is kept
    assertEquals("%zz€", HivePartitions.decode("%zz€"));
  }

  @Test
  void keysBecomeColumnsIntegersWhereEveryValueIsOne() throws IOException {
    file("k=1/city=Paris/a.parquet");
    file("k=-2/city=a%2Fb/b.parquet");
    file("k=__HIVE_DEFAULT_PARTITION__/city=7/c.parquet");
    List<FolderDataset.File> parts = parts();
    assertEquals(3, parts.size());
    PartitionColumns first = parts.get(0).columns();
    assertEquals(List.of("k", "city"), first.fields().stream().map(f -> f.getName()).toList());
    assertEquals(new ArrowType.Int(64, true), first.fields().get(0).getType());
    assertEquals(ArrowType.Utf8.INSTANCE, first.fields().get(1).getType()); // "Paris" is not an integer
    assertEquals(List.of(List.of(-2L, "a/b"), List.of(1L, "Paris"), Arrays.asList(null, "7")),
        parts.stream().map(p -> p.columns().values()).toList());
    assertEquals("k=-2/city=a%2Fb/b.parquet", root.relativize(parts.get(0).path()).toString());
  }

  @Test
  void otherShapesAreNotHivePartitioned() throws IOException {
    file("k=1/a.parquet");
    file("j=2/b.parquet"); // another key at the same level
    assertTrue(parts().isEmpty());
  }

  @Test
  void filesBesideKeyFoldersOrAtOtherDepthsAreNot() throws IOException {
    file("k=1/a.parquet");
    file("k=1/j=2/b.parquet");
    assertTrue(parts().isEmpty());
    Files.delete(root.resolve("k=1/a.parquet"));
    file("k=2/c.parquet"); // one branch a level deeper than the other
    assertTrue(parts().isEmpty());
  }

  @Test
  void aFolderWithDataFilesOfItsOwnIsPlain() throws IOException {
    file("top.parquet");
    file("k=1/a.parquet");
    assertTrue(parts().isEmpty());
  }

  private void file(String name) throws IOException {
    Path path = root.resolve(name);
    Files.createDirectories(path.getParent());
    Files.writeString(path, "PAR1");
  }

  private List<FolderDataset.File> parts() {
    return HivePartitions.files(root, FolderDataset::entries, FolderDataset::formatOf);
  }
}
