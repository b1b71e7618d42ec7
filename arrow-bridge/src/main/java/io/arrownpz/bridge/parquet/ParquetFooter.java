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
 * Adds key-value metadata to a Parquet file's footer in place, and marks its TIME columns as local
 * times. Arrow Java's dataset writer takes no
 * writer properties, so its files carry neither {@code ARROW:schema} (field metadata, extension types)
 * nor the schema's own keys such as {@code pandas}; pyarrow writes both, and pandas needs the latter to
 * restore an index.
 *
 * <p>The footer is a Thrift compact-protocol {@code FileMetaData}. Its top-level fields are copied
 * byte for byte, with field 5 ({@code key_value_metadata}, a list of {@code KeyValue}) put in its place;
 * only the field headers are re-encoded, since compact headers store the distance from the previous id.
 *
 * <p>Arrow C++ 18.3 writes Arrow's time-of-day types as Parquet {@code TIME(isAdjustedToUTC=true)}
 * with the legacy {@code TIME_MILLIS/MICROS} converted type, so DuckDB reads them as {@code TIME WITH
 * TIME ZONE}; an Arrow time of day has no zone, and newer Arrow writes {@code isAdjustedToUTC=false}
 * without a converted type. Field 2 ({@code schema}) is rewritten to say the same.
 */
final class ParquetFooter {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final int SCHEMA = 2;
  private static final int NUM_ROWS = 3;
  private static final int ROW_GROUPS = 4;
  private static final int TYPE_I64 = 6;
  private static final int KEY_VALUE_METADATA = 5;
  /** SchemaElement fields, and the TIME member of the LogicalType union. */
  private static final int CONVERTED_TYPE = 6;
  private static final int LOGICAL_TYPE = 10;
  private static final int LOGICAL_TIME = 7;
  private static final int TYPE_TRUE = 1;
  private static final int TYPE_FALSE = 2;
  private static final int TYPE_BINARY = 8;
  private static final int TYPE_LIST = 9;
  private static final int TYPE_STRUCT = 12;

  private ParquetFooter() {}

  /** Rewrites the footer of {@code file} with {@code metadata} as its key-value metadata. */
  static void setKeyValueMetadata(Path file, Map<String, String> metadata) throws IOException {
    rewriteFooter(file, footer -> rewrite(footer, metadata));
  }

  private static void rewriteFooter(Path file, java.util.function.UnaryOperator<byte[]> change) throws IOException {
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
      byte[] rewritten = change.apply(footer.array());
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

  /** Makes a file's footer say it holds no rows: no row groups, num_rows 0 (the data pages stay, unread). */
  static void dropRowGroups(Path file) throws IOException {
    rewriteFooter(file, footer -> {
      List<Field> fields = readStruct(new Reader(footer));
      fields.replaceAll(f -> f.id == NUM_ROWS ? new Field(NUM_ROWS, TYPE_I64, new byte[] {0})
          : f.id == ROW_GROUPS ? new Field(ROW_GROUPS, TYPE_LIST, new byte[] {(byte) TYPE_STRUCT}) : f);
      return writeStruct(fields);
    });
  }

  static byte[] rewrite(byte[] footer, Map<String, String> metadata) {
    List<Field> fields = readStruct(new Reader(footer));
    fields.removeIf(f -> f.id == KEY_VALUE_METADATA);
    int at = 0;
    while (at < fields.size() && fields.get(at).id < KEY_VALUE_METADATA) {
      at++;
    }
    fields.add(at, new Field(KEY_VALUE_METADATA, TYPE_LIST, keyValues(metadata)));
    fields.replaceAll(f -> f.id == SCHEMA && f.type == TYPE_LIST ? new Field(SCHEMA, TYPE_LIST, localTimes(f.value)) : f);
    return writeStruct(fields);
  }

  /** A struct's fields, each with its value's bytes (empty for a boolean: the type says true or false). */
  private static List<Field> readStruct(Reader r) {
    List<Field> fields = new ArrayList<>();
    int lastId = 0;
    while (true) {
      int header = r.u8();
      if (header == 0) {
        return fields;
      }
      int type = header & 0x0F;
      int delta = header >>> 4;
      int id = delta != 0 ? lastId + delta : r.zigzag16();
      int start = r.pos;
      r.skip(type);
      fields.add(new Field(id, type, java.util.Arrays.copyOfRange(r.b, start, r.pos)));
      lastId = id;
    }
  }

  private static byte[] writeStruct(List<Field> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
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

  /**
   * The schema list (list of SchemaElement) with every TIME logical type saying isAdjustedToUTC=false
   * and no converted type beside it.
   */
  private static byte[] localTimes(byte[] list) {
    Reader r = new Reader(list);
    int header = r.u8();
    long n = header >>> 4;
    if (n == 15) {
      n = r.varint();
    }
    if ((header & 0x0F) != TYPE_STRUCT) {
      return list;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(list.length);
    out.write(list, 0, r.pos);
    for (long i = 0; i < n; i++) {
      List<Field> element = readStruct(r);
      Field logical = element.stream().filter(f -> f.id == LOGICAL_TYPE && f.type == TYPE_STRUCT).findFirst().orElse(null);
      if (logical != null) {
        List<Field> union = readStruct(new Reader(logical.value));
        Field time = union.stream().filter(f -> f.id == LOGICAL_TIME && f.type == TYPE_STRUCT).findFirst().orElse(null);
        if (time != null) {
          List<Field> timeType = readStruct(new Reader(time.value));
          timeType.replaceAll(f -> f.id == 1 && f.type == TYPE_TRUE ? new Field(1, TYPE_FALSE, f.value) : f);
          union.replaceAll(f -> f == time ? new Field(LOGICAL_TIME, TYPE_STRUCT, writeStruct(timeType)) : f);
          element.replaceAll(f -> f == logical ? new Field(LOGICAL_TYPE, TYPE_STRUCT, writeStruct(union)) : f);
          element.removeIf(f -> f.id == CONVERTED_TYPE);
        }
      }
      byte[] bytes = writeStruct(element);
      out.write(bytes, 0, bytes.length);
    }
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

    /** Thrift values nest: structs in lists in structs. Real footers go a few levels deep. */
    private static final int MAX_DEPTH = 64;
    private int depth;

    void skip(int type) {
      if (++depth > MAX_DEPTH) {
        throw new IllegalArgumentException("the Parquet footer nests deeper than " + MAX_DEPTH + " levels");
      }
      try {
        skipValue(type);
      } finally {
        depth--;
      }
    }

    private void skipValue(int type) {
      switch (type) {
        case 1, 2 -> { } // booleans live in the field header
        case 3 -> pos++; // byte
        case 4, 5, 6 -> varint(); // i16, i32, i64
        case 7 -> pos += 8; // double
        case 8 -> { // binary: read the length before moving past the bytes it counts
          long length = varint();
          if (length < 0 || length > b.length - pos) {
            throw new IllegalArgumentException("a Parquet footer string runs past the footer");
          }
          pos += (int) length;
        }
        case 9, 10 -> { // list, set
          int h = u8();
          long n = h >>> 4;
          if (n == 15) {
            n = varint();
          }
          int element = h & 0x0F;
          if (n < 0 || n > b.length - pos) {
            throw new IllegalArgumentException("a Parquet footer list of " + n + " elements runs past the footer");
          }
          for (long i = 0; i < n; i++) {
            skipElement(element);
          }
        }
        case 11 -> { // map
          long n = varint();
          if (n < 0 || n > b.length - pos) {
            throw new IllegalArgumentException("a Parquet footer map of " + n + " entries runs past the footer");
          }
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
