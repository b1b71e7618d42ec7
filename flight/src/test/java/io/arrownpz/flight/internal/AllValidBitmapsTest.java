package io.arrownpz.flight.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.flight.FlightService;
import io.arrownpz.flight.ServeOptions;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DoGet leaves out the validity bitmaps of arrays without nulls, at any depth and batch by batch, as Arrow
 * C++ does, and keeps every value. The input, written by pyarrow (120 rows in batches of 40, and again in
 * batches of 8), has a column of every kind, some with nulls in the first batch only, some with nulls
 * only in their children.
 */
class AllValidBitmapsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @BeforeEach
  void writeKinds() throws IOException {
    PythonPeer.require("pyarrow.flight");
    PythonPeer.run(script("write_kinds.py"), served.toString());
  }

  /**
   * What a batch puts on the wire has a bitmap exactly where Arrow C++ writes one for the same rows: its
   * batches of 40 as they are, and cut into slices of 8 (as a DoGet with --batch-rows 8 cuts them) against
   * pyarrow's own batches of 8.
   */
  @Test
  void bitmapsGoWhereArrowCppWritesThem() throws Exception {
    List<List<Boolean>> cpp40 = emptyBuffers(served.resolve("kinds.feather"));
    List<List<Boolean>> cpp8 = emptyBuffers(served.resolve("kinds8.feather"));
    List<List<Boolean>> ours40 = new ArrayList<>();
    List<List<Boolean>> ours8 = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(served.resolve("kinds.feather"), StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(channel, memory.allocator())) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        ours40.add(sentEmpty(batch));
        for (int from = 0; from < batch.getRowCount(); from += 8) {
          try (VectorSchemaRoot slice = batch.slice(from, 8)) {
            ours8.add(sentEmpty(slice));
          }
        }
      }
    }
    assertEquals(cpp40, ours40, "buffers of length 0, batch by batch, in batches of 40");
    assertEquals(cpp8, ours8, "and in slices of 8");
    long leftOut = ours8.stream().flatMap(List::stream).filter(b -> b).count();
    assertTrue(leftOut > 300, leftOut + " buffers left out of slices of 8");
  }

  /** pyarrow.flight and Arrow Java's FlightClient get every value, served in slices of 16 rows. */
  @Test
  void everyValueComesThrough() throws Exception {
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(8, 16, 1L << 30), memory.allocator())) {
      String out = PythonPeer.run("""
          import sys, pyarrow.feather as feather, pyarrow.flight as fl
          root, location = sys.argv[1], sys.argv[2]
          got = fl.connect(location).do_get(fl.Ticket(b'kinds.feather')).read_all()
          want = feather.read_table(root + '/kinds.feather')
          assert got.schema.equals(want.schema), (got.schema, want.schema)
          for name in want.column_names:
              assert got[name].to_pylist() == want[name].to_pylist(), name
          print(got[0].num_chunks)
          """, served.toString(), service.location().toString());
      assertEquals("9", out.strip(), "each of the file's 3 batches of 40 rows cut into 16, 16 and 8");

      List<String> want = fileRows(served.resolve("kinds.feather"));
      List<String> got = servedRows(service);
      assertEquals(want.size(), got.size());
      for (int r = 0; r < want.size(); r++) {
        assertEquals(want.get(r), got.get(r), "row " + r + " as Arrow Java reads it from the file");
      }
      assertEquals(0, service.allocatedBytes());
    }
  }

  /**
   * Whether each buffer of {@code root}'s batch goes out empty, as DoGet frames it; the batch is otherwise
   * Arrow's unloader's: the same nodes, view counts and buffers, a bitmap left out only where the node has no
   * null.
   */
  private static List<Boolean> sentEmpty(VectorSchemaRoot root) {
    try (ArrowRecordBatch batch = AllValidBitmaps.unloaded(root);
        ArrowRecordBatch arrows = new VectorUnloader(root, true, true).getRecordBatch()) {
      assertEquals(arrows.getLength(), batch.getLength());
      assertEquals(arrows.getNodes().toString(), batch.getNodes().toString());
      assertEquals(arrows.getVariadicBufferCounts(), batch.getVariadicBufferCounts());
      assertEquals(arrows.getBuffers().size(), batch.getBuffers().size());
      for (int i = 0; i < batch.getBuffers().size(); i++) {
        ArrowBuf ours = batch.getBuffers().get(i);
        ArrowBuf theirs = arrows.getBuffers().get(i);
        if (ours.readableBytes() != 0 || theirs.readableBytes() == 0) {
          assertEquals(theirs.memoryAddress(), ours.memoryAddress(), "buffer " + i);
          assertEquals(theirs.readableBytes(), ours.readableBytes(), "buffer " + i);
        }
      }
      return batch.getBuffers().stream().map(b -> b.readableBytes() == 0).toList();
    }
  }

  /** Whether each buffer of each record batch of an IPC file is stored empty. */
  private List<List<Boolean>> emptyBuffers(Path file) throws IOException {
    List<List<Boolean>> batches = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(channel, memory.allocator())) {
      for (ArrowBlock block : reader.getRecordBlocks()) {
        channel.position(block.getOffset());
        try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(new ReadChannel(channel), block,
            memory.allocator())) {
          batches.add(batch.getBuffers().stream().map((ArrowBuf b) -> b.readableBytes() == 0).toList());
        }
      }
    }
    return batches;
  }

  /** Every row of the file, as Arrow Java reads it. */
  private List<String> fileRows(Path file) throws Exception {
    List<String> rows = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(channel, memory.allocator())) {
      while (reader.loadNextBatch()) {
        rows.addAll(rows(reader.getVectorSchemaRoot()));
      }
    }
    return rows;
  }

  /** Every row DoGet sends, as Arrow Java's FlightClient reads it. */
  private List<String> servedRows(FlightService service) throws Exception {
    List<String> rows = new ArrayList<>();
    try (FlightClient client = FlightClient.builder(memory.allocator(), new Location(service.location())).build();
        FlightStream stream = client.getStream(new Ticket("kinds.feather".getBytes(StandardCharsets.UTF_8)))) {
      while (stream.next()) {
        assertTrue(stream.getRoot().getRowCount() <= 16);
        rows.addAll(rows(stream.getRoot()));
      }
    }
    return rows;
  }

  private static List<String> rows(VectorSchemaRoot root) {
    List<String> rows = new ArrayList<>();
    for (int r = 0; r < root.getRowCount(); r++) {
      StringBuilder row = new StringBuilder();
      for (FieldVector v : root.getFieldVectors()) {
        Object value = v.getObject(r);
        row.append(v.getName()).append('=')
            .append(value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value).append(' ');
      }
      rows.add(row.toString());
    }
    return rows;
  }

  private static String script(String name) throws IOException {
    try (InputStream in = AllValidBitmapsTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
