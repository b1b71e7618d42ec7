package io.arrownpz.bridge.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds key-value metadata to a Parquet file's footer in place. Arrow Java's dataset writer takes no
 * writer properties, so its files carry neither {@code ARROW:schema} (field metadata, extension types)
 * nor the schema's own keys such as {@code pandas}; pyarrow writes both, and pandas needs the latter to
 * restore an index.
 *
 * <p>The footer is a Thrift compact-protocol {@code FileMetaData}. Its top-level fields are copied
 * byte for byte, with field 5 ({@code key_value_metadata}, a list of {@code KeyValue}) put in its place;
 * only the field headers are re-encoded, since compact headers store the distance from the previous id.
 */
final class ParquetFooter {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_VALUE_METADATA = 5;
  private static final int TYPE_BINARY = 8;
  private static final int TYPE_LIST = 9;
  private static final int TYPE_STRUCT = 12;

  private ParquetFooter() {}

  /** Rewrites the footer of {@code file} with {@code metadata} as its key-value metadata. */
  static void setKeyValueMetadata(Path file, Map<String, String> metadata) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(tail, size - 8);
      int footerLength = tail.getInt(0);
      for (int i = 0; i < 4; i++) {
        if (tail.get(4 + i) != MAGIC[i]) {
          throw new IOException(file + ": not a Parquet file (no PAR1 at the end)");
        }
      }
      long footerStart = size - 8 - footerLength;
      if (footerLength <= 0 || footerStart < MAGIC.length) {
        throw new IOException(file + ": Parquet footer length " + footerLength + " does not fit");
      }
      ByteBuffer footer = ByteBuffer.allocate(footerLength);
      while (footer.hasRemaining() && ch.read(footer, footerStart + footer.position()) > 0) {
        // read it all
      }
      byte[] rewritten = rewrite(footer.array(), metadata);
      ByteBuffer out = ByteBuffer.allocate(rewritten.length + 8).order(ByteOrder.LITTLE_ENDIAN);
      out.put(rewritten).putInt(rewritten.length).put(MAGIC).flip();
      ch.truncate(footerStart);
      long at = footerStart;
      while (out.hasRemaining()) {
        at += ch.write(out, at);
      }
    }
  }

  private record Field(int id, int type, byte[] value) {}

  static byte[] rewrite(byte[] footer, Map<String, String> metadata) {
    Reader r = new Reader(footer);
    List<Field> fields = new ArrayList<>();
    int lastId = 0;
    while (true) {
      int header = r.u8();
      if (header == 0) {
        break;
      }
      int type = header & 0x0F;
      int delta = header >>> 4;
      int id = delta != 0 ? lastId + delta : r.zigzag16();
      int start = r.pos;
      r.skip(type);
      byte[] value = java.util.Arrays.copyOfRange(footer, start, r.pos);
      fields.add(new Field(id, type, value));
      lastId = id;
    }
    fields.removeIf(f -> f.id == KEY_VALUE_METADATA);
    int at = 0;
    while (at < fields.size() && fields.get(at).id < KEY_VALUE_METADATA) {
      at++;
    }
    fields.add(at, new Field(KEY_VALUE_METADATA, TYPE_LIST, keyValues(metadata)));
    ByteArrayOutputStream out = new ByteArrayOutputStream(footer.length + 256);
    int previous = 0;
    for (Field f : fields) {
      int delta = f.id - previous;
      if (delta > 0 && delta <= 15) {
        out.write(delta << 4 | f.type);
      } else {
        out.write(f.type);
        writeVarint(out, (f.id << 1) ^ (f.id >> 31));
      }
      out.write(f.value, 0, f.value.length);
      previous = f.id;
    }
    out.write(0);
    return out.toByteArray();
  }

  /** list<KeyValue>, each {1: key, 2: value}. */
  private static byte[] keyValues(Map<String, String> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = metadata.size();
    if (n < 15) {
      out.write(n << 4 | TYPE_STRUCT);
    } else {
      out.write(0xF0 | TYPE_STRUCT);
      writeVarint(out, n);
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      writeBinaryField(out, e.getKey());
      writeBinaryField(out, e.getValue());
      out.write(0);
    }
    return out.toByteArray();
  }

  private static void writeBinaryField(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(1 << 4 | TYPE_BINARY); // each field follows the previous by one id
    writeVarint(out, bytes.length);
    out.write(bytes, 0, bytes.length);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Walks compact-protocol values without interpreting them. */
  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    int u8() {
      if (pos >= b.length) {
        throw new IllegalArgumentException("Parquet footer ends too early");
      }
      return b[pos++] & 0xFF;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int x = u8();
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("malformed varint in the Parquet footer");
    }

    int zigzag16() {
      long v = varint();
      return (int) ((v >>> 1) ^ -(v & 1));
    }

    void skip(int type) {
      switch (type) {
        case 1, 2 -> { } // booleans live in the field header
        case 3 -> pos++; // byte
        case 4, 5, 6 -> varint(); // i16, i32, i64
        case 7 -> pos += 8; // double
        case 8 -> { // binary: read the length before moving past the bytes it counts
          int length = (int) varint();
          pos += length;
        }
        case 9, 10 -> { // list, set
          int h = u8();
          long n = h >>> 4;
          if (n == 15) {
            n = varint();
          }
          int element = h & 0x0F;
          for (long i = 0; i < n; i++) {
            skipElement(element);
          }
        }
        case 11 -> { // map
          long n = varint();
          if (n > 0) {
            int kv = u8();
            for (long i = 0; i < n; i++) {
              skipElement(kv >>> 4);
              skipElement(kv & 0x0F);
            }
          }
        }
        case 12 -> { // struct
          while (true) {
            int h = u8();
            if (h == 0) {
              break;
            }
            if (h >>> 4 == 0) {
              zigzag16();
            }
            skip(h & 0x0F);
          }
        }
        default -> throw new IllegalArgumentException("unknown Thrift type " + type + " in the Parquet footer");
      }
      if (pos > b.length) {
        throw new IllegalArgumentException("Parquet footer ends too early");
      }
    }

    /** Inside lists and maps, booleans take a byte of their own. */
    private void skipElement(int type) {
      if (type == 1 || type == 2) {
        pos++;
      } else {
        skip(type);
      }
    }
  }
}
