package io.arrownpz.input;

import io.arrownpz.BadFileException;
import io.arrownpz.internal.io.PositionalReads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file, read through a {@link FileChannel} and mapped by the readers that share its bytes. */
final class LocalInputFile implements InputFile {
  private final Path path;
  private final FileChannel channel;
  private final long length;

  private LocalInputFile(Path path, FileChannel channel, long length) {
    this.path = path;
    this.channel = channel;
    this.length = length;
  }

  static LocalInputFile open(Path path) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadFileException(path, null, "no such file");
    }
    try {
      return new LocalInputFile(path, channel, channel.size());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return path.toString();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public int read(ByteBuffer into, long position) throws IOException {
    return PositionalReads.readFully(channel, into, position);
  }

  @Override
  public Path localPath() {
    return path;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
