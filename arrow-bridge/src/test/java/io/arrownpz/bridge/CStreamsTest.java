package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NumpyTables;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tables and files handed to in-process engines through the Arrow C stream interface, not converted. */
class CStreamsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  private BufferAllocator allocator() {
    return memory.allocator();
  }

  /**
   * DuckDB runs SQL over a StaticFrame-written NPZ frame as it is: the answers equal what we compute
   * from the table ourselves, and everything exported is released (the allocator closes clean).
   */
  @Test
  void duckdbQueriesAnNpzFrameInPlace() throws Exception {
    Path frame = Fixtures.path("sf/panel_tall_mixed.npz");
    long rows;
    double floatSum = 0;
    long trues = 0;
    String floatColumn;
    String boolColumn;
    try (VectorSchemaRoot table = NumpyTables.read(frame, allocator())) {
      rows = table.getRowCount();
      Float8Vector floats = (Float8Vector) table.getFieldVectors().stream().filter(v -> v instanceof Float8Vector)
          .findFirst().orElseThrow();
      BitVector bools = (BitVector) table.getFieldVectors().stream().filter(v -> v instanceof BitVector)
          .findFirst().orElseThrow();
      floatColumn = floats.getName();
      boolColumn = bools.getName();
      for (int i = 0; i < rows; i++) {
        floatSum += Double.isNaN(floats.get(i)) ? 0 : floats.get(i);
        trues += bools.get(i);
      }
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
         ArrowArrayStream stream = CStreams.export(frame, FileFormat.NPZ, allocator())) {
      duckdb.unwrap(DuckDBConnection.class).registerArrowStream("frame", stream);
      try (Statement statement = duckdb.createStatement();
           ResultSet r = statement.executeQuery("SELECT count(*), sum(\"" + floatColumn + "\") FILTER (WHERE NOT isnan(\"" + floatColumn + "\")), "
               + "count(*) FILTER (WHERE \"" + boolColumn + "\") FROM frame")) {
        assertTrue(r.next());
        assertEquals(rows, r.getLong(1));
        assertEquals(floatSum, r.getDouble(2), Math.abs(floatSum) * 1e-12);
        assertEquals(trues, r.getLong(3));
      }
    }
  }

  /**
   * The consumer reads our buffers: a mapped .npy column (a view of the file, checked in core) crosses the
   * interface at the same address.
   */
  @Test
  void mappedColumnsCrossWithoutACopy() throws Exception {
    Path npy = Fixtures.path("npy/le_i8.npy");
    try (VectorSchemaRoot table = NumpyTables.read(npy, allocator());
         ArrowArrayStream stream = CStreams.export(table, allocator());
         ArrowReader imported = Data.importArrayStream(allocator(), stream)) {
      BigIntVector ours = (BigIntVector) table.getVector(0);
      assertTrue(imported.loadNextBatch());
      BigIntVector theirs = (BigIntVector) imported.getVectorSchemaRoot().getVector(0);
      assertEquals(ours.getDataBuffer().memoryAddress(), theirs.getDataBuffer().memoryAddress(),
          "the consumer reads our buffer");
      assertEquals(ours.getValueCount(), theirs.getValueCount());
      for (int i = 0; i < ours.getValueCount(); i++) {
        assertEquals(ours.get(i), theirs.get(i));
      }
    }
  }
}
