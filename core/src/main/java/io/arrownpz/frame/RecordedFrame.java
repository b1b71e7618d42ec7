package io.arrownpz.frame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a table's {@value FrameReader#SCHEMA_KEY} schema metadata says of the frame it was read from: its
 * index fields, column names, column labels as StaticFrame stored them, block widths and StaticFrame's own
 * meta. Parsed once per distinct text and kept (the last one): tables read from one frame share their
 * metadata, and re-reading it on every write was half the cost of writing a 10,000-column frame back.
 */
final class RecordedFrame {
  private static final ObjectMapper JSON = FrameMeta.JSON;

  /** The text parsed last, and what it said. */
  private static volatile RecordedFrame last;

  private final String text;
  final List<String> indexFields;
  /** Null when the metadata has no list of names. */
  final List<String> columnNames;
  /** One per level; null where the level has no stored labels. */
  private final List<String> columnLevels;
  private final List<byte[]> decodedLevels;
  final List<Integer> blockWidths;
  /** StaticFrame's meta as JSON text, or null. */
  final String meta;

  private RecordedFrame(String text, JsonNode frame) {
    this.text = text;
    this.indexFields = texts(frame.path("index_fields"));
    JsonNode names = frame.path("column_names");
    this.columnNames = names.isArray() ? texts(names) : null;
    List<String> levels = new ArrayList<>();
    frame.path("column_levels").forEach(n -> levels.add(n.isNull() ? null : n.asText()));
    this.columnLevels = Collections.unmodifiableList(levels);
    this.decodedLevels = new ArrayList<>(Collections.nCopies(levels.size(), null));
    List<Integer> widths = new ArrayList<>();
    frame.path("block_widths").forEach(n -> widths.add(n.asInt()));
    this.blockWidths = List.copyOf(widths);
    this.meta = frame.get("meta") == null ? null : text(frame.get("meta"));
  }

  /** What the schema records of the frame it was read from, or null when it records none (or not as JSON). */
  static RecordedFrame of(Schema schema) {
    Map<String, String> metadata = schema.getCustomMetadata();
    String text = metadata == null ? null : metadata.get(FrameReader.SCHEMA_KEY);
    if (text == null) {
      return null;
    }
    RecordedFrame known = last;
    if (known != null && (known.text == text || known.text.equals(text))) {
      return known;
    }
    JsonNode frame;
    try {
      frame = JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
    if (frame == null) {
      return null;
    }
    RecordedFrame parsed = new RecordedFrame(text, frame);
    last = parsed;
    return parsed;
  }

  /** How many levels of column labels the frame has. */
  int columnLevelCount() {
    return columnLevels.size();
  }

  /**
   * Level {@code i}'s labels, the NPY bytes as StaticFrame stored them, or null when it has none. Decoded
   * on first use (a malformed level fails only the write that needs it); the caller must not change them.
   */
  byte[] columnLevel(int i) {
    String base64 = columnLevels.get(i);
    if (base64 == null) {
      return null;
    }
    synchronized (decodedLevels) {
      byte[] bytes = decodedLevels.get(i);
      if (bytes == null) {
        bytes = Base64.getDecoder().decode(base64);
        decodedLevels.set(i, bytes);
      }
      return bytes;
    }
  }

  private static String text(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e); // a tree read from text writes back
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return Collections.unmodifiableList(out);
  }
}
