package io.arrownpz.frame;

import io.arrownpz.npy.NpyArray;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;

/** Where a frame's members come from: an NPZ archive or an NPY directory. */
public interface FrameSource extends AutoCloseable {
  /** The file or directory, for messages. */
  String name();

  boolean has(String member);

  /** Opens an array member; the caller closes it. */
  NpyArray array(String member, BufferAllocator allocator) throws IOException;

  /** Reads and checks only an array member's header: nothing is mapped or inflated past it. */
  io.arrownpz.npy.NpyHeader header(String member) throws IOException;

  /**
   * Says that {@code members} are about to be opened, in this order, so that a source may look them up
   * together (an NPY directory takes its kept files' states in parallel); the default does nothing. What a
   * call looked up stands until the next call: an empty list, once they are open, drops what is left.
   */
  default void willOpen(java.util.List<String> members) {}

  /** The whole content of a small member such as {@code __meta__.json}. */
  byte[] bytes(String member, BufferAllocator allocator) throws IOException;

  @Override
  void close() throws IOException;
}
