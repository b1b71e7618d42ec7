package io.arrownpz.bridge.ipc;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.flatbuf.Endianness;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.DictionaryUtility;

/**
 * Writes what a reader holds as a big-endian Arrow IPC stream or file, as a big-endian machine would:
 * the schema says Big, every number is byte-swapped. Arrow Java only writes native order, so this
 * builds the schema and footer flatbuffers itself and swaps each batch with {@link ByteOrderSwap}; the
 * tests have pyarrow (which swaps on read) confirm that the files hold the original values.
 */
final class BigEndianWriter {
  private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  private BigEndianWriter() {}

  static void write(ArrowReader reader, Path path, boolean file, BufferAllocator allocator) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      WriteChannel out = new WriteChannel(channel);
      if (file) {
        out.write(MAGIC);
        out.align();
      }
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      List<Field> stated = new ArrayList<>();
      Set<Long> ids = new HashSet<>();
      for (Field f : root.getSchema().getFields()) {
        stated.add(DictionaryUtility.toMessageFormat(f, reader, ids));
      }
      FlatBufferBuilder builder = new FlatBufferBuilder();
      int schema = schema(builder, stated);
      ByteBuffer message = MessageSerializer.serializeMessage(builder, MessageHeader.Schema, schema, 0);
      MessageSerializer.writeMessageBuffer(out, message.remaining(), message);
      // Batches first: a reader loads its dictionaries with its first batch, and a stream needs them
      // before any batch.
      List<ArrowRecordBatch> swappedBatches = new ArrayList<>();
      try {
        while (reader.loadNextBatch()) {
          try (ArrowRecordBatch plain = new VectorUnloader(root).getRecordBatch()) {
            swappedBatches.add(ByteOrderSwap.toBigEndian(plain, root.getSchema().getFields(), allocator));
          }
        }
        List<ArrowBlock> dictionaries = new ArrayList<>();
        for (long id : DictionaryOrder.innerFirst(reader, ids)) { // nested ones after those they use
          Dictionary dictionary = reader.lookup(id);
          VectorSchemaRoot values = new VectorSchemaRoot(List.of(dictionary.getVector()));
          try (ArrowRecordBatch plain = new VectorUnloader(values).getRecordBatch();
               ArrowRecordBatch swapped = ByteOrderSwap.toBigEndian(plain, values.getSchema().getFields(), allocator);
               ArrowDictionaryBatch batch = new ArrowDictionaryBatch(id, swapped, false)) {
            dictionaries.add(MessageSerializer.serialize(out, batch));
          }
        }
        List<ArrowBlock> batches = new ArrayList<>();
        for (ArrowRecordBatch swapped : swappedBatches) {
          batches.add(MessageSerializer.serialize(out, swapped));
        }
        end(out, file, stated, dictionaries, batches);
      } finally {
        swappedBatches.forEach(ArrowRecordBatch::close);
      }
    }
  }

  /** The end-of-stream marker, and for a file the footer (schema again, block positions) and magic. */
  private static void end(WriteChannel out, boolean file, List<Field> stated, List<ArrowBlock> dictionaries,
      List<ArrowBlock> batches) throws IOException {
    org.apache.arrow.vector.ipc.ArrowStreamWriter.writeEndOfStream(out, IpcOption.DEFAULT);
    if (!file) {
      return;
    }
    long footerStart = out.getCurrentPosition();
    FlatBufferBuilder fb = new FlatBufferBuilder();
    int footerSchema = schema(fb, stated);
    int dictionaryBlocks = blocks(fb, dictionaries, true);
    int batchBlocks = blocks(fb, batches, false);
    Footer.startFooter(fb);
    Footer.addVersion(fb, MetadataVersion.V5);
    Footer.addSchema(fb, footerSchema);
    Footer.addDictionaries(fb, dictionaryBlocks);
    Footer.addRecordBatches(fb, batchBlocks);
    fb.finish(Footer.endFooter(fb));
    out.write(fb.dataBuffer());
    out.writeIntLittleEndian((int) (out.getCurrentPosition() - footerStart));
    out.write(MAGIC);
  }

  private static int schema(FlatBufferBuilder builder, List<Field> fields) {
    int[] offsets = fields.stream().mapToInt(f -> f.getField(builder)).toArray();
    int vector = org.apache.arrow.flatbuf.Schema.createFieldsVector(builder, offsets);
    org.apache.arrow.flatbuf.Schema.startSchema(builder);
    org.apache.arrow.flatbuf.Schema.addEndianness(builder, Endianness.Big);
    org.apache.arrow.flatbuf.Schema.addFields(builder, vector);
    return org.apache.arrow.flatbuf.Schema.endSchema(builder);
  }

  private static int blocks(FlatBufferBuilder builder, List<ArrowBlock> blocks, boolean dictionaries) {
    if (dictionaries) {
      Footer.startDictionariesVector(builder, blocks.size());
    } else {
      Footer.startRecordBatchesVector(builder, blocks.size());
    }
    for (int i = blocks.size() - 1; i >= 0; i--) {
      blocks.get(i).writeTo(builder);
    }
    return builder.endVector();
  }
}
