package io.arrownpz.flightsql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
import io.arrownpz.flight.ServedDatasets;
import io.arrownpz.flightsql.SqlOptions;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB reads a served {@code .npy} through the Arrow C stream of our reader: every batch it is handed
 * is a view of the file's mapping (no copy on our side), and its answer is NumPy's.
 */
class ZeroCopyTablesTest {
  @TempDir Path dir;

  /** A reader that notes where each batch's data lies, as DuckDB pulls the batches through the C stream. */
  private static final class Noting extends ArrowReader {
    private final ArrowReader inner;
    final List<Long> addresses = new ArrayList<>();

    Noting(ArrowReader inner, BufferAllocator allocator) {
      super(allocator);
      this.inner = inner;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
      return inner.getVectorSchemaRoot();
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      boolean more = inner.loadNextBatch();
      if (more) {
        addresses.add(inner.getVectorSchemaRoot().getVector(0).getDataBuffer().memoryAddress());
      }
      return more;
    }

    @Override
    public long bytesRead() {
      return inner.bytesRead();
    }

    @Override
    protected void closeReadSource() throws IOException {
      inner.close();
    }

    @Override
    protected Schema readSchema() throws IOException {
      return inner.getVectorSchemaRoot().getSchema();
    }
  }

  @Test
  void duckdbScansViewsOfTheFilesMapping() throws Exception {
    PythonPeer.require("numpy");
    Path npy = dir.resolve("v.npy");
    String expected = PythonPeer.run("""
        import sys, numpy as np
        v = np.random.default_rng(1).standard_normal(3_000_000)
        np.save(sys.argv[1], v)
        print(repr(float(np.sum(v))))
        """, npy.toString()).strip();
    List<Noting> opened = new ArrayList<>();
    ServedDatasets datasets = new ServedDatasets() {
      @Override
      public List<String> names() {
        return List.of("v.npy");
      }

      @Override
      public Schema schema(String name) throws IOException {
        if (!name.equals("v.npy")) {
          throw new IllegalArgumentException(name + ": no such dataset");
        }
        try (BufferAllocator a = new RootAllocator()) {
          return NumpyTables.outline(npy, a, ReadOptions.DEFAULTS).schema();
        }
      }

      @Override
      public long sizeOnDisk(String name) throws IOException {
        schema(name); // the one dataset, or an exception naming the name
        return Files.size(npy);
      }

      @Override
      public ArrowReader open(String name, BufferAllocator allocator, int batchRows) throws IOException {
        Noting reader = new Noting(NumpyTables.openReader(npy, allocator, ReadOptions.DEFAULTS, batchRows), allocator);
        opened.add(reader);
        return reader;
      }
    };
    String real = npy.toRealPath().toString();
    try (BufferAllocator root = new RootAllocator(); SqlDatabase database = SqlDatabase.open(SqlOptions.DEFAULTS);
         Released released = new Released();
         SqlSessions sessions = new SqlSessions(database, java.time.Duration.ofMinutes(1), 4)) {
      List<String> mappings = new ArrayList<>();
      double sum;
      QueryRun.Setting setting = new QueryRun.Setting(datasets, released, 1024, 1 << 20);
      try (QueryRun run = QueryRun.start(setting, sessions.connect(SessionCookie.of(null),
          new io.arrownpz.flight.StreamSlots(1).take()), "SELECT sum(v) FROM \"v.npy\"", List.of(),
          root.newChildAllocator("query", 0, Long.MAX_VALUE), r -> { })) {
        // DuckDB has read every batch by now (the sum is computed); the mapping is still open
        mappings.addAll(Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + real))
            .toList());
        try (VectorSchemaRoot result = VectorSchemaRoot.create(run.schema(), root)) {
          assertTrue(run.nextBatch(result));
          sum = ((Number) result.getVector(0).getObject(0)).doubleValue();
        }
      }
      assertEquals(Double.parseDouble(expected), sum, 1e-9 * Math.abs(sum));
      assertEquals(1, opened.size(), "the table was opened once, for the query that named it");
      assertFalse(opened.get(0).addresses.isEmpty());
      for (long address : opened.get(0).addresses) {
        boolean inside = mappings.stream().anyMatch(l -> {
          String[] range = l.split(" ")[0].split("-");
          return Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16);
        });
        assertTrue(inside, "a batch DuckDB read lies in the mapping of " + real + ": " + mappings);
      }
    }
  }
}
