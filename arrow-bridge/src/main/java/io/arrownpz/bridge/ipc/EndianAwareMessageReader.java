package io.arrownpz.bridge.ipc;

import java.io.IOException;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageResult;

/**
 * Arrow's message reader for a stream, noting what the schema message says that Arrow Java's schema
 * does not keep: the byte order the stream was written in. A schema Arrow Java cannot represent is
 * refused here, naming the column.
 */
final class EndianAwareMessageReader extends MessageChannelReader {
  private boolean bigEndian;

  EndianAwareMessageReader(ReadChannel in, BufferAllocator allocator) {
    super(in, allocator);
  }

  @Override
  public MessageResult readNext() throws IOException {
    MessageResult result = super.readNext();
    if (result != null && result.getMessage().headerType() == MessageHeader.Schema) {
      Schema schema = (Schema) result.getMessage().header(new Schema());
      if (schema != null) {
        bigEndian = schema.endianness() == Endianness.Big;
        String unsupported = SchemaChecks.unsupported(schema);
        if (unsupported != null) {
          if (result.getBodyBuffer() != null) {
            result.getBodyBuffer().close();
          }
          throw new UnsupportedSchemaException(unsupported);
        }
      }
    }
    return result;
  }

  /** Whether the stream's schema says it was written big-endian. */
  boolean isBigEndian() {
    return bigEndian;
  }

  /** A schema Arrow Java cannot represent; the stream's reader names the file. */
  static final class UnsupportedSchemaException extends IOException {
    UnsupportedSchemaException(String problem) {
      super(problem);
    }
  }
}
