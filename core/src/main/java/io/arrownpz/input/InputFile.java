package io.arrownpz.input;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A file open for positional reads: a local file, or one on another file system (HDFS, an object store)
 * that a caller reaches through its own client. Readers ask it only for the byte ranges they need: an
 * NPY header, a ZIP archive's end records and central directory, the members and row ranges asked for.
 *
 * <p>A local file ({@link #localPath()} not null) is mapped where its bytes can be shared; any other is
 * read into native memory. The reader that opened the file closes it; several threads may read at once.
 */
public interface InputFile extends Closeable {
  /** How messages name the file: a path or a URI. */
  String name();

  /** The file's length in bytes, as of the open. */
  long length();

  /**
   * Reads into {@code into} from {@code position} until it is full or the file ends; returns the bytes
   * read, fewer than asked only at the end of the file.
   */
  int read(ByteBuffer into, long position) throws IOException;

  /** The local file this is, which may be mapped; null for a file on another file system. */
  default Path localPath() {
    return null;
  }

  /** Opens a local file. */
  static InputFile open(Path path) throws IOException {
    return LocalInputFile.open(path);
  }
}
