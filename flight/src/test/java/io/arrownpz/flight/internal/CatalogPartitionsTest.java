package io.arrownpz.flight.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A get's part of a Hive-partitioned dataset: from the dataset as last found, found again when it changed. */
class CatalogPartitionsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path root;

  @Test
  void aPartIsTakenFromTheLastFindAndFoundAgainWhenTheTreeChanged() throws IOException {
    file("ds/k=1/a.parquet");
    Catalog catalog = new Catalog(new DatasetNames(root), memory.allocator(), null);
    assertEquals(1, catalog.find("ds").parts().size());
    assertEquals(List.of(1L), catalog.partOf("ds", "ds/k=1/a.parquet").columns().values());

    file("ds/k=2/b.parquet"); // added since: the dataset is found again
    assertEquals(List.of(2L), catalog.partOf("ds", "ds/k=2/b.parquet").columns().values());

    Files.delete(root.resolve("ds/k=1/a.parquet")); // gone since: not served from what was found
    assertEquals(FlightStatusCode.NOT_FOUND, assertThrows(FlightRuntimeException.class,
        () -> catalog.partOf("ds", "ds/k=1/a.parquet")).status().code());
    file("other.parquet"); // a file, but no part of it
    assertEquals(FlightStatusCode.NOT_FOUND, assertThrows(FlightRuntimeException.class,
        () -> catalog.partOf("ds", "other.parquet")).status().code());
  }

  private void file(String name) throws IOException {
    Path path = root.resolve(name);
    Files.createDirectories(path.getParent());
    Files.writeString(path, "PAR1");
  }
}
