package io.arrownpz.flight.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.internal.io.Trees;
import io.arrownpz.pack.PackOptions;
import io.arrownpz.pack.Packer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The {@code pack} action: one row per group of an event table, with list columns, written as a packed
 * dataset next to its source. The body is JSON with the CLI's options: {@code source}, {@code key} (a
 * list), optional {@code order_by}, {@code keep_scalar} (a list) and {@code target} (default: the
 * source's stem + {@code .packed.npz}). The result is JSON naming the target and its rows.
 */
final class PackAction {
  static final ActionType TYPE = new ActionType("pack", "Pack an event table into one row per group with list "
      + "columns. Body (JSON): {\"source\": PATH, \"key\": [COL, ...], \"order_by\": COL, \"keep_scalar\": "
      + "[COL, ...], \"target\": PATH}; order_by, keep_scalar and target are optional (target defaults to "
      + "the source's stem + .packed.npz). Result (JSON): {\"target\": PATH, \"rows\": N}.");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Catalog catalog;
  private final BufferAllocator allocator;
  private final long memory;

  PackAction(Catalog catalog, BufferAllocator allocator, long memory) {
    this.catalog = catalog;
    this.allocator = allocator;
    this.memory = memory;
  }

  Result run(byte[] body) throws IOException {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (IOException e) {
      throw invalid("the body is not JSON: " + Calls.oneLine(e));
    }
    if (request == null || !request.isObject() || !request.path("source").isTextual()) {
      throw invalid("the body must be a JSON object with a \"source\"");
    }
    String sourceName = DatasetNames.check(List.of(request.get("source").asText()));
    Dataset source = catalog.find(sourceName);
    if (source.isFolder()) {
      throw invalid(sourceName + ": pack one file at a time");
    }
    List<String> keys = strings(request, "key");
    if (keys.isEmpty()) {
      throw invalid("\"key\" names no column");
    }
    String orderBy = request.path("order_by").isTextual() ? request.get("order_by").asText() : null;
    Set<String> keepScalar = new HashSet<>(strings(request, "keep_scalar"));
    String targetName = request.path("target").isTextual()
        ? DatasetNames.check(List.of(request.get("target").asText()))
        : sibling(sourceName, Converter.stem(Path.of(sourceName)) + ".packed.npz");
    Path target = catalog.names().target(targetName);
    FileFormat format = targetName.endsWith("/") ? FileFormat.NPY_DIR : FileFormat.ofPath(target);
    if (format == null) {
      throw invalid(targetName + ": the name's extension says no format to write");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw CallStatus.ALREADY_EXISTS.withDescription(targetName + ": exists already").toRuntimeException();
    }
    Dataset.Part part = source.parts().get(0);
    allocator.setLimit(Trees.size(part.path()) + memory);
    PackOptions options = new PackOptions(keys, orderBy, false, false, keepScalar, false);
    Converter converter = new Converter(allocator);
    int rows;
    try (VectorSchemaRoot events = converter.read(part.path(), part.format(), ConvertOptions.DEFAULTS);
        VectorSchemaRoot packed = Packer.pack(events, allocator, options)) {
      converter.write(packed, target, format, ConvertOptions.DEFAULTS);
      rows = packed.getRowCount();
    }
    ObjectNode answer = JSON.createObjectNode().put("target", targetName).put("rows", rows);
    return new Result(JSON.writeValueAsBytes(answer));
  }

  private static String sibling(String name, String file) {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? file : name.substring(0, slash + 1) + file;
  }

  private static List<String> strings(JsonNode request, String field) {
    JsonNode node = request.path(field);
    List<String> values = new ArrayList<>();
    if (node.isTextual()) {
      values.add(node.asText());
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.isTextual()) {
          throw invalid("\"" + field + "\" must list column names");
        }
        values.add(item.asText());
      }
    } else if (!node.isMissingNode() && !node.isNull()) {
      throw invalid("\"" + field + "\" must be a column name or a list of them");
    }
    return values;
  }

  private static RuntimeException invalid(String problem) {
    return CallStatus.INVALID_ARGUMENT.withDescription("pack: " + problem).toRuntimeException();
  }
}
