package io.arrownpz.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Input files for the command-line tests, written here so that their size is the test's to choose. */
final class TestArrays {
  private TestArrays() {}

  /** An NPY 1.0 file of {@code count} little-endian float64 values 0, 0.25, 0.5, ... */
  static Path float64(Path file, int count) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      data.putDouble(i * 0.25);
    }
    return write(file, "<f8", count, data.flip());
  }

  /** An NPY 1.0 file of {@code count} little-endian int64 values first, first + 1, ... */
  static Path int64(Path file, int count, long first) throws IOException {
    ByteBuffer data = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      data.putLong(first + i);
    }
    return write(file, "<i8", count, data.flip());
  }

  private static Path write(Path file, String descr, int count, ByteBuffer data) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + count + ",), }";
    StringBuilder header = new StringBuilder(dict);
    while ((10 + header.length() + 1) % 64 != 0) {
      header.append(' ');
    }
    header.append('\n');
    ByteBuffer head = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
    head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    head.putShort((short) header.length()).put(header.toString().getBytes(StandardCharsets.US_ASCII)).flip();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(new ByteBuffer[] {head, data});
    }
    return file;
  }
}
