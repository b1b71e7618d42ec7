package io.arrownpz.internal.arrow;

import io.arrownpz.internal.memory.AllValidBitmap;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/** Puts buffers we made (views of a mapping, converted data) into Arrow vectors. */
public final class VectorLoading {
  private VectorLoading() {}

  /**
   * Loads buffers into a vector; a null validity buffer means "no nulls". Large all-valid bitmaps come
   * from {@link AllValidBitmap} so that loading stays constant-time: Arrow uses a node's null count only
   * to choose between building a bitmap itself (0, or all null) and taking the given one (anything
   * else), so such bitmaps go in with the count marked unknown (-1).
   */
  public static void load(FieldVector target, int count, long nullCount, List<ArrowBuf> buffers) {
    BufferAllocator owner = target.getAllocator();
    long bitmapBytes = AllValidBitmap.bytesFor(count);
    if (buffers.get(0) != null || bitmapBytes < AllValidBitmap.THRESHOLD) {
      if (buffers.get(0) == null) {
        buffers.set(0, owner.getEmpty());
      }
      target.loadFieldBuffers(new ArrowFieldNode(count, nullCount), buffers);
      return;
    }
    try (ArrowBuf allValid = AllValidBitmap.of(owner, bitmapBytes)) {
      buffers.set(0, allValid);
      target.loadFieldBuffers(new ArrowFieldNode(count, UNKNOWN_NULL_COUNT), buffers);
    }
  }

  private static final long UNKNOWN_NULL_COUNT = -1;

  /** Loads a vector from a validity buffer (null: no nulls) and one more buffer, such as data or offsets. */
  public static void load(FieldVector target, int count, long nullCount, ArrowBuf validity, ArrowBuf buffer) {
    List<ArrowBuf> buffers = new ArrayList<>(2);
    buffers.add(validity);
    buffers.add(buffer);
    load(target, count, nullCount, buffers);
  }
}
