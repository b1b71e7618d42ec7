package io.arrownpz.flight.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.grpc.Drainable;
import io.grpc.MethodDescriptor.Marshaller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DoGet's batches made direct: the same bytes as Arrow frames them, the body shared rather than copied,
 * only the heap parts copied, and every buffer released once the network is done.
 */
class DirectBatchesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  /** A batch whose buffers have odd lengths (Arrow pads them with heap buffers), with nulls. */
  private VectorSchemaRoot oddBatch(BufferAllocator allocator) {
    IntVector ints = new IntVector("ints", allocator);
    Float8Vector floats = new Float8Vector("floats", allocator);
    BitVector flags = new BitVector("flags", allocator);
    int rows = 13;
    for (int i = 0; i < rows; i++) {
      if (i % 5 == 3) {
        ints.setNull(i);
      } else {
        ints.setSafe(i, i * 7 - 40);
      }
      floats.setSafe(i, i / 3.0);
      flags.setSafe(i, i % 2);
    }
    VectorSchemaRoot root = VectorSchemaRoot.of(ints, floats, flags);
    root.setRowCount(rows);
    return root;
  }

  /**
   * Arrow's framing of the batch, a message of its own for each call (a message is framed once: it owns
   * the batch's buffers, and its header is consumed by framing).
   */
  private static InputStream frame(VectorSchemaRoot root, Marshaller<Object> marshaller, boolean zeroCopy,
      List<AutoCloseable> messages) throws Exception {
    AutoCloseable message = ArrowFraming.batchMessage(new VectorUnloader(root).getRecordBatch(), zeroCopy);
    messages.add(message);
    return marshaller.stream(message);
  }

  @Test
  void arrowsZeroCopyBatchesBecomeDirectWithTheSameBytes() throws Exception {
    BufferAllocator allocator = memory.allocator();
    Marshaller<Object> marshaller = ArrowFraming.marshaller(allocator);
    List<AutoCloseable> messages = new ArrayList<>();
    try (VectorSchemaRoot root = oddBatch(allocator)) {
      byte[] arrows = ArrowFraming.readAll(frame(root, marshaller, true, messages));

      InputStream framed = frame(root, marshaller, true, messages);
      InputStream direct = DirectBatches.direct(framed);
      assertNotSame(framed, direct, "Arrow's zero-copy message was not recognised: the fast path is off");
      assertTrue(direct instanceof Drainable);
      assertArrayEquals(arrows, ArrowFraming.readAll(direct));

      // Drained into a stream that is not gRPC's buffer chain, the bytes are copied out, the same.
      ByteArrayOutputStream drained = new ByteArrayOutputStream();
      try (InputStream again = DirectBatches.direct(frame(root, marshaller, true, messages))) {
        ((Drainable) again).drainTo(drained);
      }
      assertArrayEquals(arrows, drained.toByteArray());
    } finally {
      AutoCloseables.close(messages);
    }
    // AllocatorExtension fails the test if a framed message still holds a buffer of the batch.
  }

  @Test
  void messagesThatDoNotOwnTheirBuffersPassThrough() throws Exception {
    BufferAllocator allocator = memory.allocator();
    Marshaller<Object> marshaller = ArrowFraming.marshaller(allocator);
    List<AutoCloseable> messages = new ArrayList<>();
    try (VectorSchemaRoot root = oddBatch(allocator)) {
      // gRPC copies such a message while it is sent; its buffers may be reused as soon as that returns.
      InputStream framed = frame(root, marshaller, false, messages);
      assertSame(framed, DirectBatches.direct(framed));
      framed.close();
    } finally {
      AutoCloseables.close(messages);
    }
    InputStream other = new ByteArrayInputStream(new byte[] {1, 2, 3});
    assertSame(other, DirectBatches.direct(other));
  }

  @Test
  void onlyHeapPartsAreCopiedAndTheOwnerIsClosedWhenReleased() throws Exception {
    BufferAllocator allocator = memory.allocator();
    try (ArrowBuf body = allocator.buffer(1024); ArrowBuf tail = allocator.buffer(16)) {
      for (int i = 0; i < 1024; i++) {
        body.setByte(i, i * 31);
      }
      for (int i = 0; i < 16; i++) {
        tail.setByte(i, 200 + i);
      }
      ByteBuf bodyView = Unpooled.wrappedBuffer(body.nioBuffer(0, 1024));
      ByteBuf tailView = Unpooled.wrappedBuffer(tail.nioBuffer(0, 16));
      CompositeByteBuf message = Unpooled.compositeBuffer(Integer.MAX_VALUE).addComponents(true,
          Unpooled.wrappedBuffer(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}), bodyView,
          Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0}), Unpooled.wrappedBuffer(new byte[] {1, 1, 1}), tailView);
      assertFalse(message.isDirect());
      byte[] expected = new byte[message.readableBytes()];
      message.getBytes(0, expected);
      boolean[] closed = {false};
      InputStream owner = new ByteArrayInputStream(new byte[0]) {
        @Override
        public void close() {
          closed[0] = true;
          message.release();
        }
      };

      CompositeByteBuf direct = DirectBatches.directCopy(message, owner);
      assertTrue(direct.isDirect());
      assertEquals(4, direct.numComponents(), "the two heap parts side by side go into one buffer");
      List<ByteBuffer> parts = List.of(direct.nioBuffers());
      assertEquals(body.memoryAddress(), address(parts.get(1)), "the body is shared, not copied");
      assertEquals(tail.memoryAddress(), address(parts.get(3)));
      byte[] got = new byte[direct.readableBytes()];
      direct.getBytes(0, got);
      assertArrayEquals(expected, got);

      assertFalse(closed[0]);
      direct.release();
      assertTrue(closed[0], "releasing the direct message gives the original back");
      assertEquals(0, message.refCnt());
    }
  }

  @Test
  void aMessageOfManySmallPartsIsCopiedTogetherItsBigPartsStillShared() throws Exception {
    // A frame of thousands of narrow columns: more parts than a gathering write takes.
    BufferAllocator allocator = memory.allocator();
    int columns = 3_000;
    int columnBytes = 800;
    int bigBytes = 256 << 10;
    try (ArrowBuf narrow = allocator.buffer((long) columns * columnBytes); ArrowBuf big = allocator.buffer(bigBytes)) {
      for (long i = 0; i < narrow.capacity(); i++) {
        narrow.setByte(i, (int) (i * 7 + i / 251));
      }
      for (int i = 0; i < bigBytes; i++) {
        big.setByte(i, i * 13);
      }
      CompositeByteBuf message = Unpooled.compositeBuffer(Integer.MAX_VALUE);
      message.addComponent(true, Unpooled.wrappedBuffer(new byte[] {4, 3, 2, 1}));
      for (int c = 0; c < columns; c++) {
        message.addComponent(true, Unpooled.wrappedBuffer(narrow.nioBuffer((long) c * columnBytes, columnBytes)));
        if (c == columns / 2) {
          message.addComponent(true, Unpooled.wrappedBuffer(big.nioBuffer(0, bigBytes)));
        }
      }
      byte[] expected = new byte[message.readableBytes()];
      message.getBytes(0, expected);
      InputStream owner = new ByteArrayInputStream(new byte[0]) {
        @Override
        public void close() {
          message.release();
        }
      };

      CompositeByteBuf direct = DirectBatches.directCopy(message, owner);
      int idleWhileSent = DirectBatches.COPIES.idle();
      assertTrue(direct.isDirect());
      // Two runs of small parts (before and after the big one) in 1 MiB buffers, and the big part itself.
      assertTrue(direct.numComponents() <= 6, direct.numComponents() + " parts");
      boolean bigShared = false;
      for (ByteBuffer part : direct.nioBuffers()) {
        bigShared |= address(part) == big.memoryAddress();
      }
      assertTrue(bigShared, "the big part is shared, not copied");
      byte[] got = new byte[direct.readableBytes()];
      direct.getBytes(0, got);
      assertArrayEquals(expected, got);
      direct.release();
      assertEquals(0, message.refCnt());
      assertTrue(DirectBatches.COPIES.idle() > idleWhileSent, "the copy buffers are given back for reuse");

      // The next message of that shape is copied into the buffers given back, not into new memory.
      int idle = DirectBatches.COPIES.idle();
      CompositeByteBuf again = DirectBatches.directCopy(copyOf(expected), new ByteArrayInputStream(new byte[0]));
      assertTrue(DirectBatches.COPIES.idle() < idle, "idle buffers were taken");
      byte[] copied = new byte[again.readableBytes()];
      again.getBytes(0, copied);
      assertArrayEquals(expected, copied);
      again.release();
    }
  }

  /** A message of one heap part holding {@code bytes}, of more than {@code MAX_PARTS} parts none shared. */
  private static CompositeByteBuf copyOf(byte[] bytes) {
    CompositeByteBuf message = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    int parts = 300;
    int step = (bytes.length + parts - 1) / parts;
    for (int at = 0; at < bytes.length; at += step) {
      message.addComponent(true, Unpooled.wrappedBuffer(bytes, at, Math.min(step, bytes.length - at)));
    }
    return message;
  }

  private static long address(ByteBuffer direct) {
    return Unpooled.wrappedBuffer(direct).memoryAddress();
  }
}
