package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.internal.SchemaChecks;
import io.arrownpz.bridge.parquet.CompactThrift.Field;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * The Arrow schema a writer stored in a Parquet footer ({@code ARROW:schema}: pyarrow and polars store one),
 * read only to name the column when Arrow C++ cannot read a file. Arrow C++ refuses such a file as a whole
 * ("Integers with more than 64 bits not implemented", for polars' Int128 columns) and never says which column.
 */
final class StoredArrowSchema {
  private static final String KEY = "ARROW:schema";
  /** KeyValue's fields. */
  private static final int KV_KEY = 1;
  private static final int KV_VALUE = 2;

  private StoredArrowSchema() {}

  /**
   * What {@link SchemaChecks} finds Arrow cannot hold in the file's stored Arrow schema, the column named; null
   * when there is no stored schema, nothing is wrong with it, or it cannot be read (the caller then reports
   * what Arrow C++ said).
   */
  static String unsupportedColumn(Path path) {
    try {
      Schema schema = storedSchema(ParquetFooter.read(path));
      return schema == null ? null : SchemaChecks.unsupported(schema);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether an encapsulated message holds as many bytes as its length prefix declares: Arrow's reader
   * allocates what the prefix says before it reads, so a 2 KB footer declaring a 1 GiB message would
   * take 1 GiB of heap on the way to its error.
   */
  static boolean holdsDeclaredLength(byte[] message) {
    if (message.length < 4) {
      return false;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(message).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int at = 4;
    int length = b.getInt(0);
    if (length == -1) { // the continuation marker, then the length
      if (message.length < 8) {
        return false;
      }
      length = b.getInt(4);
      at = 8;
    }
    return length >= 0 && length <= message.length - at;
  }

  /** The stored schema of a footer, for the fuzz target: null where there is none or it cannot be read. */
  static Schema storedSchemaOf(byte[] footer) {
    try {
      return storedSchema(footer);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Schema storedSchema(byte[] footer) throws IOException {
    Field metadata = CompactThrift.find(CompactThrift.readStruct(footer), ParquetFooter.KEY_VALUE_METADATA);
    if (metadata == null || metadata.type() != CompactThrift.TYPE_LIST) {
      return null;
    }
    for (List<Field> pair : CompactThrift.readStructList(metadata.value())) {
      Field key = CompactThrift.find(pair, KV_KEY);
      Field value = CompactThrift.find(pair, KV_VALUE);
      if (key != null && value != null && KEY.equals(key.text())) {
        // An encapsulated IPC message (Arrow's reader takes either prefix, with or without the continuation marker);
        // its flatbuffer only, since Arrow's conversion to a schema would fail on what is to be named.
        byte[] message = Base64.getDecoder().decode(value.text());
        if (!holdsDeclaredLength(message)) {
          return null;
        }
        MessageMetadataResult read = MessageSerializer.readMessage(new ReadChannel(Channels.newChannel(
            new ByteArrayInputStream(message))));
        Message parsed = read == null ? null : read.getMessage();
        return parsed != null && parsed.headerType() == MessageHeader.Schema ? (Schema) parsed.header(new Schema()) : null;
      }
    }
    return null;
  }
}
