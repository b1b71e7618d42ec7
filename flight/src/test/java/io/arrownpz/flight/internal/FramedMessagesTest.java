package io.arrownpz.flight.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.grpc.MethodDescriptor.Marshaller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DoGet's messages framed by us are the bytes Arrow frames, for every shape of batch: odd lengths padded,
 * strings and lists, no rows, and more columns than one gathering write takes (small buffers copied
 * together, large ones shared); schema messages kept by identity within their bounds; and every buffer of
 * a batch given back once the message is released, sent or not.
 */
class FramedMessagesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void batchesAreFramedAsArrowFramesThem() throws Exception {
    BufferAllocator allocator = memory.allocator();
    Marshaller<Object> arrows = ArrowFraming.marshaller(allocator);
    for (int rows : new int[] {0, 1, 13, 64, 1000}) {
      try (VectorSchemaRoot root = mixed(allocator, rows)) {
        assertSameBytes(root, arrows, rows + " rows of ints, floats, bools, strings and lists");
      }
    }
    try (VectorSchemaRoot root = wide(allocator, 400, 100, 2_000)) {
      assertSameBytes(root, arrows, "400 columns and a big one");
    }
  }

  @Test
  void aWideBatchSharesItsBigBuffersAndCopiesTheSmallOnesTogether() throws Exception {
    BufferAllocator allocator = memory.allocator();
    try (VectorSchemaRoot root = wide(allocator, 400, 100, 2_000)) {
      long big = root.getVector("big").getDataBuffer().memoryAddress();
      ByteBuf message = FramedMessages.batch(new VectorUnloader(root, true, true).getRecordBatch());
      try {
        int shared = 0;
        for (ByteBuffer part : message.nioBuffers()) {
          shared += Unpooled.wrappedBuffer(part).memoryAddress() == big ? 1 : 0;
        }
        assertEquals(1, shared, "the 200 KB string column goes out as it is");
        assertTrue(message.nioBufferCount() < 10, message.nioBufferCount() + " parts for 801 buffers");
      } finally {
        message.release();
      }
    }
    // AllocatorExtension fails the test if the released message still held a buffer of the batch.
  }

  /**
   * Small buffers that lie back to back in memory (the columns of a transposed copy, validity bitmaps left
   * out) go out as a few shared runs, neither copied nor a part each, and the bytes are still Arrow's. A
   * buffer whose length needs padding ends its run, and the next starts one.
   */
  @Test
  void smallBuffersBackToBackGoOutAsSharedRuns() throws Exception {
    BufferAllocator allocator = memory.allocator();
    Marshaller<Object> arrows = ArrowFraming.marshaller(allocator);
    int columns = 600;
    int rows = 100;
    List<FieldVector> vectors = new ArrayList<>();
    long blockAddress;
    try (ArrowBuf block = allocator.buffer((long) columns * rows * 8)) {
      blockAddress = block.memoryAddress();
      for (int i = 0; i < columns * rows; i++) {
        block.setDouble(i * 8L, i / 4.0);
      }
      long at = 0;
      for (int c = 0; c < columns; c++) {
        // Column 300 holds 100 one-byte values: 100 bytes, padded in the body, so its run ends there.
        FieldVector v = c == 300 ? new TinyIntVector("t", allocator) : new Float8Vector("f" + c, allocator);
        long bytes = c == 300 ? rows : rows * 8L;
        try (ArrowBuf validity = allocator.buffer(16)) {
          for (int i = 0; i < 16; i++) {
            validity.setByte(i, 0xFF);
          }
          v.loadFieldBuffers(new ArrowFieldNode(rows, 0), List.of(validity, block.slice(at, bytes)));
        }
        at += bytes;
        vectors.add(v);
      }
    }
    try (VectorSchemaRoot root = new VectorSchemaRoot(vectors)) {
      byte[] expected;
      ArrowRecordBatch forArrow = AllValidBitmaps.unloaded(root);
      try (AutoCloseable message = ArrowFraming.batchMessage(forArrow, true)) {
        expected = ArrowFraming.readAll(arrows.stream(message));
      }
      ByteBuf ours = FramedMessages.batch(AllValidBitmaps.unloaded(root));
      try {
        byte[] got = new byte[ours.readableBytes()];
        ours.getBytes(ours.readerIndex(), got);
        assertArrayEquals(expected, got, "600 columns back to back");
        List<Long> addresses = new ArrayList<>();
        for (ByteBuffer part : ours.nioBuffers()) {
          addresses.add(Unpooled.wrappedBuffer(part).memoryAddress());
        }
        assertTrue(addresses.size() <= 5, addresses.size() + " parts for 600 buffers in two runs");
        assertTrue(addresses.contains(blockAddress), "the first run is not shared");
        assertTrue(addresses.contains(blockAddress + 300 * rows * 8L + rows), "the run after the padded buffer");
      } finally {
        ours.release();
      }
    }
  }

  /**
   * In a body of more runs than {@code MAX_PARTS}, columns of a few kilobytes between small bitmaps (a square
   * frame's) are shared and the bitmaps copied, as long as the parts stay within {@code MAX_SHARED_PARTS};
   * past that, everything under 64 KiB is copied, as before. The bytes are Arrow's either way.
   */
  @Test
  void columnsOfSomeKilobytesAreSharedWhileTheBodyStaysWithinAGatheringWrite() throws Exception {
    BufferAllocator allocator = memory.allocator();
    Marshaller<Object> arrows = ArrowFraming.marshaller(allocator);
    for (int columns : new int[] {1_500, 2_500}) {
      try (VectorSchemaRoot root = withNulls(allocator, columns, 1_000)) {
        assertSameBytes(root, arrows, columns + " columns of 8,000 bytes with bitmaps");
        List<Long> data = new ArrayList<>();
        root.getFieldVectors().forEach(v -> data.add(v.getDataBuffer().memoryAddress()));
        ByteBuf message = FramedMessages.batch(new VectorUnloader(root, true, true).getRecordBatch());
        try {
          List<Long> parts = new ArrayList<>();
          for (ByteBuffer part : message.nioBuffers()) {
            parts.add(Unpooled.wrappedBuffer(part).memoryAddress());
          }
          long shared = data.stream().filter(parts::contains).count();
          if (columns == 1_500) {
            assertEquals(columns, shared, "every column's values go out as they are");
            assertTrue(parts.size() <= 2 * columns + 2, parts.size() + " parts: a column and its bitmap's copy each");
          } else {
            assertEquals(0, shared, "5,000 parts would be too many: all copied");
            assertTrue(parts.size() < 30, parts.size() + " parts for 20 MB copied");
          }
        } finally {
          message.release();
        }
      }
    }
  }

  @Test
  void aMessageNeverSentGivesItsBuffersBack() {
    BufferAllocator allocator = memory.allocator();
    try (VectorSchemaRoot root = mixed(allocator, 100)) {
      DirectBatches.Framed unsent = new DirectBatches.Framed(
          FramedMessages.batch(new VectorUnloader(root, true, true).getRecordBatch()));
      unsent.releaseUnsent();
    }
  }

  @Test
  void schemasAreFramedAsArrowFramesThemAndKeptByIdentityWithinBounds() throws Exception {
    BufferAllocator allocator = memory.allocator();
    Marshaller<Object> arrows = ArrowFraming.marshaller(allocator);
    Schema schema;
    try (VectorSchemaRoot root = mixed(allocator, 3)) {
      schema = withMetadata(root.getSchema(), "first");
    }
    try (AutoCloseable message = ArrowFraming.schemaMessage(schema)) {
      assertArrayEquals(ArrowFraming.readAll(arrows.stream(message)), bytes(FramedMessages.schema(schema)));
    }

    KeptSchemaMessages kept = new KeptSchemaMessages(2, 1 << 20);
    ByteBuffer first = kept.framed(schema);
    assertEquals(first, kept.framed(schema));
    assertEquals(1, kept.size(), "the same schema is framed once");
    Schema equal = withMetadata(schema, "first");
    assertTrue(kept.holds(schema));
    assertFalse(kept.holds(equal), "held by identity only");
    assertEquals(first, kept.framed(equal), "an equal schema frames to the same bytes");
    assertEquals(2, kept.size(), "but is another schema: found by identity");
    assertNotEquals(first, kept.framed(withMetadata(schema, "second")));
    assertEquals(2, kept.size(), "at most two kept");

    KeptSchemaMessages small = new KeptSchemaMessages(2, first.remaining() - 1);
    assertEquals(first, small.framed(schema));
    assertEquals(0, small.size(), "a message over the byte bound is framed, not kept");
  }

  private static void assertSameBytes(VectorSchemaRoot root, Marshaller<Object> arrows, String what) throws Exception {
    byte[] expected;
    try (AutoCloseable message = ArrowFraming.batchMessage(new VectorUnloader(root).getRecordBatch(), true)) {
      expected = ArrowFraming.readAll(arrows.stream(message));
    }
    ByteBuf ours = FramedMessages.batch(new VectorUnloader(root, true, true).getRecordBatch());
    try {
      byte[] got = new byte[ours.readableBytes()];
      ours.getBytes(ours.readerIndex(), got);
      assertArrayEquals(expected, got, what);
    } finally {
      ours.release();
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static Schema withMetadata(Schema schema, String value) {
    List<Field> fields = new ArrayList<>();
    for (Field f : schema.getFields()) {
      fields.add(new Field(f.getName(), new FieldType(f.isNullable(), f.getType(), null,
          Map.of("numpy.descr", "<i8", "note", value)), f.getChildren()));
    }
    return new Schema(fields, Map.of("pandas", "{\"columns\": []}", "arrownpz.frame", value));
  }

  /** Columns of every kind of buffer: validity, fixed width, bits, offsets and bytes, a list's children. */
  private static VectorSchemaRoot mixed(BufferAllocator allocator, int rows) {
    IntVector ints = new IntVector("ints", allocator);
    Float8Vector floats = new Float8Vector("floats", allocator);
    BitVector flags = new BitVector("flags", allocator);
    VarCharVector text = new VarCharVector("text", allocator);
    ListVector lists = ListVector.empty("lists", allocator);
    UnionListWriter writer = lists.getWriter();
    for (int i = 0; i < rows; i++) {
      if (i % 5 == 3) {
        ints.setNull(i);
        text.setNull(i);
      } else {
        ints.setSafe(i, i * 7 - 40);
        text.setSafe(i, ("v" + "x".repeat(i % 9)).getBytes(StandardCharsets.UTF_8));
      }
      floats.setSafe(i, i / 3.0);
      flags.setSafe(i, i % 2);
      writer.setPosition(i);
      writer.startList();
      for (int j = 0; j < i % 4; j++) {
        writer.bigInt().writeBigInt(i * 10L + j);
      }
      writer.endList();
    }
    List<FieldVector> vectors = List.of(ints, floats, flags, text, lists);
    vectors.forEach(v -> v.setValueCount(rows));
    return new VectorSchemaRoot(vectors);
  }

  /** {@code columns} float64 columns with a null in each: a bitmap of 125 bytes, then 8,000 bytes of values. */
  private static VectorSchemaRoot withNulls(BufferAllocator allocator, int columns, int rows) {
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      Float8Vector v = new Float8Vector("f" + c, allocator);
      v.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        v.set(i, c + i / 8.0);
      }
      v.setNull(c % rows);
      v.setValueCount(rows);
      vectors.add(v);
    }
    return new VectorSchemaRoot(vectors);
  }

  /**
   * {@code columns} narrow int64 columns and, among them, one string column of {@code bigBytes} bytes a row:
   * a frame wider than a gathering write takes, with one buffer large enough to be shared.
   */
  private static VectorSchemaRoot wide(BufferAllocator allocator, int columns, int rows, int bigBytes) {
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      BigIntVector v = new BigIntVector("c" + c, allocator);
      for (int i = 0; i < rows; i++) {
        v.setSafe(i, (long) c * 1000 + i);
      }
      v.setValueCount(rows);
      vectors.add(v);
    }
    VarCharVector big = new VarCharVector("big", allocator);
    for (int i = 0; i < rows; i++) {
      big.setSafe(i, String.valueOf((char) ('a' + i % 26)).repeat(bigBytes).getBytes(StandardCharsets.US_ASCII));
    }
    big.setValueCount(rows);
    vectors.add(columns / 2, big);
    return new VectorSchemaRoot(vectors);
  }
}
