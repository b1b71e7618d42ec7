package io.arrownpz.bridge.parquet;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.arrownpz.bridge.internal.ArrowNative;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.dataset.file.DatasetFileWriter;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.JniWrapper;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Attaches the native threads that pull and release an exported stream's batches to the JVM once per
 * batch, not once per column.
 *
 * <p>Arrow Java's C data callbacks attach the calling native thread to the JVM and detach it again on
 * every call, and a batch's release calls back once per column (each child array is released on its
 * own). Arrow C++'s Parquet writer releases from threads of its own, so each column of each batch cost a
 * thread attachment, a {@code java.lang.Thread} made and dropped (about 30 us): 0.03 s for a 1,000-column
 * batch, 0.3 s for 10,000 columns, more than the writer's encoding. Here the stream's {@code get_next} and
 * each batch's {@code release} are first routed through JNA callbacks: JNA attaches the thread for the
 * length of the callback, and Arrow's own callbacks, called from inside it, find the thread attached.
 * (Threads are not kept attached after: Arrow C++ joins its pool's threads when the process exits, and a
 * thread still attached then blocks in its detachment for ever.)
 *
 * <p>Only function pointers and the private data pointer of the C structures are replaced, and the
 * originals are always called, so the structures keep the C data interface's contract (a consumer may
 * move an array: the originals travel with it in its private data).
 */
final class AttachedExport {
  // Field offsets in the C data interface's structures (64-bit pointers).
  private static final long STREAM_GET_NEXT = 8;
  private static final long ARRAY_RELEASE = 64;
  private static final long ARRAY_PRIVATE_DATA = 72;
  /** The errno a C data stream's {@code get_next} returns for an I/O failure. */
  private static final int EIO = 5;

  /** {@code int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out)}. */
  interface GetNext extends Callback {
    int invoke(Pointer stream, Pointer out);
  }

  /** {@code void (*release)(struct ArrowArray*)}. */
  interface Release extends Callback {
    void invoke(Pointer array);
  }

  private static final GetNext GET_NEXT = AttachedExport::getNext;
  private static final Release RELEASE = AttachedExport::release;
  private static final Pointer RELEASE_POINTER;
  /**
   * Arrow Java's {@code get_next}: one C function serves every stream it exports (the stream is told apart
   * by its private data), so one is kept for all.
   */
  private static volatile Function arrowGetNext;

  static {
    RELEASE_POINTER = CallbackReference.getFunctionPointer(RELEASE);
  }

  private AttachedExport() {}

  /**
   * What {@link DatasetFileWriter#write(BufferAllocator, ArrowReader, FileFormat, String)} does, with the
   * exported stream wrapped: every batch of {@code reader} written by Arrow C++'s dataset writer into files
   * under {@code uri}.
   */
  static void writeDataset(BufferAllocator allocator, ArrowReader reader, FileFormat format, String uri) {
    ArrowNative.loadDataset();
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, reader, stream);
      wrap(stream);
      JniWrapper.get().writeFromScannerToFile(stream.memoryAddress(), format.id(), uri, new String[0], 1024,
          "data_{i}");
    }
  }

  /** Routes {@code stream}'s {@code get_next}, and the release of every batch it gives, through attached threads. */
  private static void wrap(ArrowArrayStream stream) {
    if (Native.POINTER_SIZE != 8) {
      return; // the offsets above are for 64-bit pointers
    }
    Pointer base = new Pointer(stream.memoryAddress());
    Pointer original = base.getPointer(STREAM_GET_NEXT);
    Function known = arrowGetNext;
    if (known == null) {
      arrowGetNext = known = Function.getFunction(original);
    } else if (Pointer.nativeValue(known) != Pointer.nativeValue(original)) {
      return; // not the function this was written for: left as it is
    }
    base.setPointer(STREAM_GET_NEXT, CallbackReference.getFunctionPointer(GET_NEXT));
  }

  private static int getNext(Pointer stream, Pointer out) {
    int status;
    try {
      status = arrowGetNext.invokeInt(new Object[] {stream, out});
    } catch (RuntimeException | Error e) {
      return EIO; // nothing may be thrown into native code; Arrow C++ reports the stream as failed
    }
    Pointer release = status == 0 ? out.getPointer(ARRAY_RELEASE) : null;
    if (release != null) {
      // The original release and private data go into a block of their own, which replaces the private
      // data: the array may be moved by its consumer, and the block moves with it.
      long memory = Native.malloc(2L * Native.POINTER_SIZE);
      if (memory == 0) {
        return status; // no room for the block: this batch keeps Arrow's own release
      }
      Pointer block = new Pointer(memory);
      block.setPointer(0, release);
      block.setPointer(Native.POINTER_SIZE, out.getPointer(ARRAY_PRIVATE_DATA));
      out.setPointer(ARRAY_PRIVATE_DATA, block);
      out.setPointer(ARRAY_RELEASE, RELEASE_POINTER);
    }
    return status;
  }

  private static void release(Pointer array) {
    Pointer block = array.getPointer(ARRAY_PRIVATE_DATA);
    Pointer original = block.getPointer(0);
    array.setPointer(ARRAY_PRIVATE_DATA, block.getPointer(Native.POINTER_SIZE));
    array.setPointer(ARRAY_RELEASE, original);
    Native.free(Pointer.nativeValue(block));
    Function.getFunction(original).invoke(new Object[] {array}); // sets the array's release to null
  }
}
