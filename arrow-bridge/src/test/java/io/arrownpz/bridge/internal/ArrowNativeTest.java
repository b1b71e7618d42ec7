package io.arrownpz.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native libraries that a Parquet write and read (Arrow's dataset and C data libraries) and LZ4 and
 * ZSTD Feather (lz4-java, zstd-jni) load leave no copy of themselves in the temporary folder while the
 * process runs: a process that ends without an orderly exit (SIGKILL, a crash) left each of them there,
 * 76 MB for the dataset library alone.
 */
class ArrowNativeTest {
  private static final Path MAPS = Path.of("/proc/self/maps");

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path dir;

  @Test
  void noLoadedLibraryKeepsItsCopyInTheTemporaryFolder() throws IOException {
    assumeTrue(Files.isReadable(MAPS), "only where /proc/self/maps tells what is mapped (Linux)");
    try (BigIntVector numbers = new BigIntVector("n", memory.allocator());
         VectorSchemaRoot table = VectorSchemaRoot.of(numbers)) {
      for (int i = 0; i < 1000; i++) {
        numbers.setSafe(i, i % 7);
      }
      table.setRowCount(1000);
      ParquetFiles.write(table, dir.resolve("t.parquet"), memory.allocator());
      try (VectorSchemaRoot back = ParquetFiles.read(dir.resolve("t.parquet"), memory.allocator())) {
        assertEquals(1000, back.getRowCount());
      }
      assertLoadedAndUnlinked("jnilib-"); // checked after each step: each loader's copy goes when it is loaded
      FeatherFiles.write(table, dir.resolve("lz4.feather"), IpcCompression.LZ4);
      assertLoadedAndUnlinked("liblz4-java-");
      FeatherFiles.write(table, dir.resolve("zstd.feather"), IpcCompression.ZSTD);
      assertLoadedAndUnlinked("libzstd-jni-");
    }
  }

  /** A library named {@code prefix}... is mapped from the temporary folder, and no copy there keeps its name. */
  private static void assertLoadedAndUnlinked(String prefix) throws IOException {
    String folder = Path.of(System.getProperty("java.io.tmpdir")).toRealPath() + "/";
    List<String> copies = Files.readAllLines(MAPS).stream().map(line -> line.trim().split("\\s+", 6))
        .filter(fields -> fields.length == 6 && fields[5].startsWith(folder)).map(fields -> fields[5])
        .filter(path -> path.matches(".*/(jnilib-|liblz4-java-|libzstd-jni-).*")).distinct().toList();
    assertTrue(copies.stream().anyMatch(path -> path.contains("/" + prefix)),
        prefix + " is not loaded from a copy in " + folder + ": " + copies);
    for (String copy : copies) {
      assertTrue(copy.endsWith(" (deleted)"), copy + " is still there");
    }
  }
}
