package io.arrownpz.arrow;

import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.CoalescingChannel;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/** One NPY array ready to be written: its size is known before a byte is written, as ZIP headers need. */
public interface NpyOutput {
  /** The header, padded so that the data starts on a 64-byte boundary. */
  byte[] header();

  /** Bytes of the whole NPY stream, header included. */
  long totalBytes();

  /** Writes the header, then the data. */
  void writeTo(WritableByteChannel channel) throws IOException;

  /**
   * Writes a file through a temporary one renamed into place. Writes are gathered: a block writes each
   * of its columns on its own, a system call each without it.
   */
  default void writeTo(Path path) throws IOException {
    try (AtomicFile out = AtomicFile.create(path)) {
      try (CoalescingChannel gathered = new CoalescingChannel(out.channel())) {
        writeTo(gathered);
      }
      out.commit();
    }
  }

  /**
   * Writes a file that must not exist yet, directly: for a file inside a work directory that nobody else
   * sees until it is renamed into place whole (an NPY directory), where a temporary file per member would
   * only add system calls.
   */
  default void writeNewFile(Path path) throws IOException {
    try (CoalescingChannel out = new CoalescingChannel(java.nio.channels.FileChannel.open(path,
        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE))) {
      writeTo(out);
    }
  }
}
