package io.arrownpz.bridge.parquet;

import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_BINARY;
import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_FALSE;
import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_I64;
import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_LIST;
import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_STRUCT;
import static io.arrownpz.bridge.parquet.CompactThrift.TYPE_TRUE;
import static io.arrownpz.bridge.parquet.CompactThrift.listHeader;
import static io.arrownpz.bridge.parquet.CompactThrift.put;
import static io.arrownpz.bridge.parquet.CompactThrift.readStruct;
import static io.arrownpz.bridge.parquet.CompactThrift.varint;
import static io.arrownpz.bridge.parquet.CompactThrift.writeStruct;

import io.arrownpz.bridge.parquet.CompactThrift.Field;
import io.arrownpz.bridge.parquet.CompactThrift.Reader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  /** FileMetaData fields (the schema is a list of SchemaElement, the root first, then depth first). */
  static final int SCHEMA = 2;
  private static final int NUM_ROWS = 3;
  private static final int ROW_GROUPS = 4;
  static final int KEY_VALUE_METADATA = 5;
  /** SchemaElement fields, and the TIME member of the LogicalType union. */
  static final int CONVERTED_TYPE = 6;
  static final int LOGICAL_TYPE = 10;
  private static final int LOGICAL_TIME = 7;

  private ParquetFooter() {}

  /** Rewrites the footer of {@code file} with {@code metadata} as its key-value metadata. */
  static void setKeyValueMetadata(Path file, Map<String, String> metadata) throws IOException {
    rewriteFooter(file, footer -> rewrite(footer, metadata));
  }

  private static void rewriteFooter(Path file, java.util.function.UnaryOperator<byte[]> change) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      byte[] footer = read(ch, file);
      long footerStart = ch.size() - 8 - footer.length;
      byte[] rewritten = change.apply(footer);
      ByteBuffer out = ByteBuffer.allocate(rewritten.length + 8).order(ByteOrder.LITTLE_ENDIAN);
      out.put(rewritten).putInt(rewritten.length).put(MAGIC).flip();
      ch.truncate(footerStart);
      long at = footerStart;
      while (out.hasRemaining()) {
        at += ch.write(out, at);
      }
    }
  }

  /** The footer's bytes of the file at {@code file}. */
  static byte[] read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
      return read(ch, file);
    }
  }

  /** The footer's bytes (a compact-protocol {@code FileMetaData}), found from the file's last 8 bytes. */
  static byte[] read(FileChannel ch, Path file) throws IOException {
    long size = ch.size();
    if (size < 12) {
      throw new IOException(file + ": not a Parquet file (" + size + " bytes)");
    }
    ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, tail, size - 8);
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
    readFully(ch, footer, footerStart);
    return footer.array();
  }

  private static void readFully(FileChannel ch, ByteBuffer into, long at) throws IOException {
    while (into.hasRemaining()) {
      if (ch.read(into, at + into.position()) < 0) {
        throw new java.io.EOFException("the file ends while its Parquet footer is read");
      }
    }
  }

  /** Makes a file's footer say it holds no rows: no row groups, num_rows 0 (the data pages stay, unread). */
  static void dropRowGroups(Path file) throws IOException {
    rewriteFooter(file, footer -> {
      List<Field> fields = readStruct(footer);
      fields.replaceAll(f -> f.id() == NUM_ROWS ? new Field(NUM_ROWS, TYPE_I64, new byte[] {0})
          : f.id() == ROW_GROUPS ? new Field(ROW_GROUPS, TYPE_LIST, new byte[] {(byte) TYPE_STRUCT}) : f);
      return writeStruct(fields);
    });
  }

  static byte[] rewrite(byte[] footer, Map<String, String> metadata) {
    List<Field> fields = readStruct(footer);
    put(fields, new Field(KEY_VALUE_METADATA, TYPE_LIST, keyValues(metadata)));
    fields.replaceAll(f -> f.id() == SCHEMA && f.type() == TYPE_LIST ? new Field(SCHEMA, TYPE_LIST, localTimes(f.value())) : f);
    return writeStruct(fields);
  }

  /**
   * The schema list (list of SchemaElement) with every TIME logical type saying isAdjustedToUTC=false
   * and no converted type beside it.
   */
  private static byte[] localTimes(byte[] list) {
    if (list.length == 0 || (list[0] & 0x0F) != TYPE_STRUCT) {
      return list;
    }
    Reader r = new Reader(ByteBuffer.wrap(list));
    long n = r.listHeader(TYPE_STRUCT);
    ByteArrayOutputStream out = new ByteArrayOutputStream(list.length);
    out.write(list, 0, r.position());
    for (long i = 0; i < n; i++) {
      List<Field> element = readStruct(r);
      Field logical = element.stream().filter(f -> f.id() == LOGICAL_TYPE && f.type() == TYPE_STRUCT).findFirst().orElse(null);
      if (logical != null) {
        List<Field> union = readStruct(logical.value());
        Field time = union.stream().filter(f -> f.id() == LOGICAL_TIME && f.type() == TYPE_STRUCT).findFirst().orElse(null);
        if (time != null) {
          List<Field> timeType = readStruct(time.value());
          timeType.replaceAll(f -> f.id() == 1 && f.type() == TYPE_TRUE ? new Field(1, TYPE_FALSE, f.value()) : f);
          union.replaceAll(f -> f == time ? new Field(LOGICAL_TIME, TYPE_STRUCT, writeStruct(timeType)) : f);
          element.replaceAll(f -> f == logical ? new Field(LOGICAL_TYPE, TYPE_STRUCT, writeStruct(union)) : f);
          element.removeIf(f -> f.id() == CONVERTED_TYPE);
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
    out.writeBytes(listHeader(metadata.size(), TYPE_STRUCT));
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
    out.writeBytes(varint(bytes.length));
    out.write(bytes, 0, bytes.length);
  }
}
