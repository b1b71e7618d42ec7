package io.arrownpz.frame;

import com.fasterxml.jackson.databind.JsonNode;
import io.arrownpz.BadFileException;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/** What a frame holds, from its meta and its members' headers only: no values are read. */
public final class FrameSummary {
  private FrameSummary() {}

  /**
   * A description with the keys {@code shape, name, index {class, depth, name, auto, dtypes},
   * columns {class, depth, name, auto, dtypes}, blocks [{member, dtype, shape, order}]}.
   */
  public static Map<String, Object> describe(FrameSource source, BufferAllocator allocator) throws IOException {
    FrameMeta meta;
    try {
      meta = FrameMeta.parse(source.bytes(FrameMeta.MEMBER, allocator));
    } catch (IllegalArgumentException e) {
      throw new BadFileException(source.name(), FrameMeta.MEMBER, e.getMessage());
    }
    long rows = -1;
    long columns = 0;
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (int b = 0; b < meta.blockCount(); b++) {
      try (NpyArray block = source.array(FrameMembers.block(b), allocator)) {
        NpyHeader h = block.header();
        rows = h.rank() == 0 ? 1 : h.dim(0);
        columns += h.rank() == 2 ? h.dim(1) : 1;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("member", FrameMembers.block(b));
        m.put("dtype", h.dtype().descr());
        m.put("shape", h.shape());
        m.put("order", h.rank() < 2 ? "-" : h.fortranOrder() ? "F" : "C");
        blocks.add(m);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> index = labels(source, allocator, meta.indexType(), meta.indexDepth(), meta.indexName(), true);
    if (rows < 0 && !(Boolean) index.get("auto")) {
      try (NpyArray level = source.array(FrameMembers.index(0), allocator)) {
        rows = level.header().dim(0);
      }
    }
    out.put("shape", new long[] {Math.max(rows, 0), columns});
    out.put("name", json(meta.frameName()));
    out.put("index", index);
    out.put("columns", labels(source, allocator, meta.columnsType(), meta.columnsDepth(), meta.columnsName(), false));
    out.put("blocks", blocks);
    return out;
  }

  private static Map<String, Object> labels(FrameSource source, BufferAllocator allocator, String type, int depth,
      JsonNode name, boolean index) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class", type);
    m.put("depth", depth);
    m.put("name", json(name));
    boolean auto = !source.has(index ? FrameMembers.index(0) : FrameMembers.columns(0));
    m.put("auto", auto);
    List<String> dtypes = new ArrayList<>();
    if (!auto) {
      for (int i = 0; i < depth; i++) {
        try (NpyArray level = source.array(index ? FrameMembers.index(i) : FrameMembers.columns(i), allocator)) {
          dtypes.add(level.dtype().descr());
        }
      }
    }
    m.put("dtypes", dtypes);
    return m;
  }

  private static Object json(JsonNode node) {
    return node == null || node.isNull() ? null : node.isTextual() ? node.asText() : node.toString();
  }
}
