package io.arrownpz.frame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The contents of a frame's {@code __meta__.json} (docs/FORMAT.md section 3): the three names, the index and
 * columns classes (and each level's class for hierarchical labels), and the depths.
 *
 * @param frameName the frame's name as JSON (null, string, number, or an array for a tuple)
 * @param indexName the index's name as JSON
 * @param columnsName the columns' name as JSON
 * @param indexType e.g. {@code Index}, {@code IndexDate}, {@code IndexHierarchy}
 * @param columnsType likewise for the columns
 * @param indexLevelTypes one class per level when the index is hierarchical, else null
 * @param columnLevelTypes likewise for the columns
 * @param blockCount number of {@code __blocks_i__} members
 * @param indexDepth number of index levels
 * @param columnsDepth number of column levels
 */
public record FrameMeta(JsonNode frameName, JsonNode indexName, JsonNode columnsName, String indexType,
    String columnsType, List<String> indexLevelTypes, List<String> columnLevelTypes, int blockCount,
    int indexDepth, int columnsDepth) {

  static final String MEMBER = "__meta__.json";
  /**
   * The frame package's JSON: Python's json reads and writes NaN, Infinity and -Infinity as bare
   * numbers, so a frame's names may hold them, and they must stay numbers (not strings) through the
   * schema metadata we record them in.
   */
  static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  /** A meta parsed, with its bytes. */
  private record Parsed(byte[] json, FrameMeta meta) {
    boolean of(byte[] bytes) {
      return java.util.Arrays.equals(json, bytes);
    }
  }

  /** The two metas last parsed, the newest first (either may be null). */
  private record Recent(Parsed newest, Parsed older) {}

  /**
   * The last two metas parsed: frames of one kind carry the same few hundred bytes (a file written again and
   * opened afresh, the frames of one dataset), and Jackson's tree was a tenth of opening a new tall frame.
   * Two, because a writer parses the meta of the frame it writes out, which is not the bytes it writes, and
   * a loop of writes and opens would otherwise parse both every time. A meta holds no state to change, so
   * one may be handed out twice.
   */
  private static volatile Recent recent = new Recent(null, null);

  /** The meta in {@code json}, as StaticFrame writes {@value #MEMBER}; an IllegalArgumentException says what is wrong. */
  public static FrameMeta parse(byte[] json) {
    Recent seen = recent;
    if (seen.newest() != null && seen.newest().of(json)) {
      return seen.newest().meta();
    }
    if (seen.older() != null && seen.older().of(json)) {
      return seen.older().meta();
    }
    FrameMeta meta = parseTree(json);
    recent = new Recent(new Parsed(json.clone(), meta), seen.newest());
    return meta;
  }

  private static FrameMeta parseTree(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("is not valid JSON");
    }
    JsonNode names = root.path("__names__");
    JsonNode types = root.path("__types__");
    JsonNode depths = root.path("__depths__");
    if (!names.isArray() || names.size() != 3 || !types.isArray() || types.size() != 2 || !depths.isArray()
        || depths.size() != 3 || !depths.get(0).canConvertToInt() || !depths.get(1).canConvertToInt()
        || !depths.get(2).canConvertToInt()) {
      throw new IllegalArgumentException("needs __names__ (3), __types__ (2) and __depths__ (3 integers)");
    }
    int blocks = depths.get(0).asInt();
    int indexDepth = depths.get(1).asInt();
    int columnsDepth = depths.get(2).asInt();
    if (blocks < 0 || indexDepth < 1 || columnsDepth < 1 || indexDepth > 64 || columnsDepth > 64) {
      throw new IllegalArgumentException("__depths__ " + depths + " are out of range");
    }
    return new FrameMeta(names.get(0), names.get(1), names.get(2), types.get(0).asText(), types.get(1).asText(),
        strings(root.get("__types_index__")), strings(root.get("__types_columns__")), blocks, indexDepth,
        columnsDepth);
  }

  private static List<String> strings(JsonNode node) {
    if (node == null || !node.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }

  public FrameMeta withBlockCount(int count) {
    return new FrameMeta(frameName, indexName, columnsName, indexType, columnsType, indexLevelTypes,
        columnLevelTypes, count, indexDepth, columnsDepth);
  }

  /** The JSON node, keys in StaticFrame's order. */
  public ObjectNode toJsonNode() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ArrayNode names = root.putArray("__names__");
    names.add(orNull(frameName)).add(orNull(indexName)).add(orNull(columnsName));
    root.putArray("__types__").add(indexType).add(columnsType);
    if (indexLevelTypes != null) {
      ArrayNode a = root.putArray("__types_index__");
      indexLevelTypes.forEach(a::add);
    }
    if (columnLevelTypes != null) {
      ArrayNode a = root.putArray("__types_columns__");
      columnLevelTypes.forEach(a::add);
    }
    root.putArray("__depths__").add(blockCount).add(indexDepth).add(columnsDepth);
    return root;
  }

  private static JsonNode orNull(JsonNode n) {
    return n == null ? JsonNodeFactory.instance.nullNode() : n;
  }

  /** The bytes StaticFrame writes: Python's json.dumps of the same dict. */
  public byte[] toBytes() {
    return PythonJson.write(toJsonNode()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
