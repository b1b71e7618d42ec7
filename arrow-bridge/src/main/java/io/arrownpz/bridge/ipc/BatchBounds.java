package io.arrownpz.bridge.ipc;

import org.apache.arrow.flatbuf.RecordBatch;

/**
 * Whether a record batch's metadata is one Arrow's deserializer can take whole: every buffer inside the
 * message body, every count a non-negative int. Checked before Arrow slices the body: its deserializer
 * fails on the first bad entry and leaves the slices it already made unreleased.
 */
final class BatchBounds {
  private BatchBounds() {}

  /**
   * What is wrong, or null when every buffer lies inside {@code bodyLength} bytes and every part of the
   * metadata Arrow reads can be read (a corrupt flatbuffer fails here, not halfway through Arrow's work).
   */
  static String problem(RecordBatch batch, long bodyLength) {
    try {
      return walk(batch, bodyLength);
    } catch (RuntimeException e) {
      return "corrupt batch metadata (" + e.getClass().getSimpleName() + ")";
    }
  }

  private static String walk(RecordBatch batch, long bodyLength) {
    if (batch == null) {
      return "no record batch header";
    }
    for (int i = 0; i < batch.buffersLength(); i++) {
      org.apache.arrow.flatbuf.Buffer b = batch.buffers(i);
      if (b.offset() < 0 || b.length() < 0 || b.offset() > bodyLength - b.length()) {
        return "buffer " + i + " (" + b.length() + " bytes at " + b.offset() + ") lies outside the batch's "
            + bodyLength + " bytes";
      }
    }
    org.apache.arrow.flatbuf.BodyCompression compression = batch.compression();
    if (compression != null) {
      compression.codec();
      compression.method();
    }
    for (int i = 0; i < batch.variadicBufferCountsLength(); i++) {
      if (batch.variadicBufferCounts(i) < 0 || batch.variadicBufferCounts(i) > batch.buffersLength()) {
        return "variadic buffer count " + batch.variadicBufferCounts(i) + " of " + batch.buffersLength() + " buffers";
      }
    }
    if (batch.length() < 0 || batch.length() > Integer.MAX_VALUE) {
      return "claims " + batch.length() + " rows";
    }
    for (int i = 0; i < batch.nodesLength(); i++) {
      org.apache.arrow.flatbuf.FieldNode node = batch.nodes(i);
      if (node.length() < 0 || node.length() > Integer.MAX_VALUE || node.nullCount() < 0
          || node.nullCount() > node.length()) {
        return "column node " + i + " claims " + node.length() + " values (" + node.nullCount() + " null)";
      }
    }
    return null;
  }
}
