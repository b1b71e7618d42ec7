package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.internal.SchemaChecks;
import java.io.IOException;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.flatbuf.Schema;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageResult;

/**
 * Arrow's message reader for a stream, noting what the schema message says that Arrow Java's schema
 * does not keep: the byte order the stream was written in. A schema Arrow Java cannot represent is
 * refused here, naming the column.
 */
final class EndianAwareMessageReader extends MessageChannelReader {
  private static final int CONTINUATION = 0xFFFFFFFF;

  private final FileChannel channel;
  private boolean bigEndian;
  private boolean schemaSeen;

  EndianAwareMessageReader(FileChannel channel, BufferAllocator allocator) {
    super(new ReadChannel(channel), allocator);
    this.channel = channel;
  }

  /**
   * The next message, its lengths checked against what is left of the file before Arrow reads it: Arrow's
   * reader allocates whatever a length prefix claims (2 GiB for an 8-byte file) and only then finds the
   * file too short.
   */
  @Override
  public MessageResult readNext() throws IOException {
    checkNextMessage();
    MessageResult result = super.readNext();
    try {
      return checked(result);
    } catch (IOException | RuntimeException e) {
      // A corrupt message can fail any check; the body read for it is ours to release.
      if (result != null && result.getBodyBuffer() != null) {
        result.getBodyBuffer().close();
      }
      throw e instanceof IOException io ? io : new IOException("a corrupt message: " + e, e);
    }
  }

  private void checkNextMessage() throws IOException {
    long at = channel.position();
    long left = channel.size() - at;
    ByteBuffer prefix = read(at, 8);
    if (prefix.remaining() < 4) {
      return; // the end of the stream: Arrow's reader says so
    }
    int length = prefix.getInt(0);
    int start = 4;
    if (length == CONTINUATION) {
      if (prefix.remaining() < 8) {
        return;
      }
      length = prefix.getInt(4);
      start = 8;
    }
    if (length == 0) {
      return; // the end-of-stream marker
    }
    if (length < 0 || length > left - start) {
      throw new IOException("a message of " + Integer.toUnsignedString(length) + " bytes at offset " + at
          + ", but only " + (left - start) + " bytes follow");
    }
    MessageMetadataResult metadata;
    try {
      metadata = MessageMetadataResult.create(read(at + start, length), length);
    } catch (RuntimeException e) {
      throw new IOException("the message at offset " + at + " is not an Arrow IPC message", e);
    }
    long body = metadata.messageHasBody() ? metadata.getMessageBodyLength() : 0;
    if (body < 0 || body > left - start - length) {
      throw new IOException("a message body of " + body + " bytes at offset " + (at + start + length)
          + ", but only " + (left - start - length) + " bytes follow");
    }
  }

  /** Up to {@code length} bytes from {@code position}, without moving the channel. */
  private ByteBuffer read(long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
      // until full or the end
    }
    return buffer.flip();
  }

  /**
   * The message as read, once a batch's buffers are known to lie inside its body and a schema is one
   * Arrow Java can hold.
   */
  private MessageResult checked(MessageResult result) throws IOException {
    if (result != null) {
      org.apache.arrow.flatbuf.Message message = result.getMessage();
      byte type = message.headerType();
      boolean expected = schemaSeen ? type == MessageHeader.RecordBatch || type == MessageHeader.DictionaryBatch
          : type == MessageHeader.Schema;
      if (!expected) {
        // Arrow refuses it too, but keeps the body it read for it.
        throw new IOException("a message of type " + type + " where " + (schemaSeen ? "a batch" : "the schema")
            + " should be");
      }
      schemaSeen = true;
      RecordBatch batch = switch (message.headerType()) {
        case MessageHeader.RecordBatch -> (RecordBatch) message.header(new RecordBatch());
        case MessageHeader.DictionaryBatch -> {
          DictionaryBatch dictionary = (DictionaryBatch) message.header(new DictionaryBatch());
          if (dictionary != null) {
            dictionary.id(); // read by Arrow only after it has sliced the body: a corrupt one must fail here
            dictionary.isDelta();
          }
          yield dictionary == null ? null : dictionary.data();
        }
        default -> null;
      };
      boolean isBatch = message.headerType() == MessageHeader.RecordBatch
          || message.headerType() == MessageHeader.DictionaryBatch;
      String outside = isBatch ? BatchBounds.problem(batch, message.bodyLength()) : null;
      if (outside != null) {
        throw new IOException(outside);
      }
    }
    if (result != null && result.getMessage().headerType() == MessageHeader.Schema) {
      Schema schema = (Schema) result.getMessage().header(new Schema());
      if (schema != null) {
        bigEndian = schema.endianness() == Endianness.Big;
        String unsupported = SchemaChecks.unsupported(schema);
        if (unsupported != null) {
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
