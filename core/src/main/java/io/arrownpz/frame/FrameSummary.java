package io.arrownpz.frame;

import com.fasterxml.jackson.databind.JsonNode;
import io.arrownpz.BadFileException;
import io.arrownpz.FrameInfo;
import io.arrownpz.npy.NpyHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** What a frame holds, from its meta and its members' headers only: no values are read or inflated. */
public final class FrameSummary {
  private FrameSummary() {}

  /** The frame's shape, names, label classes and dtypes, and blocks. */
  public static FrameInfo describe(FrameSource source, BufferAllocator allocator) throws IOException {
    FrameMeta meta;
    try {
      meta = FrameMeta.parse(source.bytes(FrameMeta.MEMBER, allocator));
    } catch (IllegalArgumentException e) {
      throw new BadFileException(source.name(), FrameMeta.MEMBER, e.getMessage());
    }
    long rows = -1;
    long columns = 0;
    List<FrameInfo.Block> blocks = new ArrayList<>();
    for (int b = 0; b < meta.blockCount(); b++) {
      NpyHeader h = source.header(FrameMembers.block(b));
      rows = h.rank() == 0 ? 1 : h.dim(0);
      columns += h.rank() == 2 ? h.dim(1) : 1;
      blocks.add(new FrameInfo.Block(FrameMembers.block(b), h.dtype().descr(), h.shape(),
          h.rank() < 2 ? "-" : h.fortranOrder() ? "F" : "C"));
    }
    FrameInfo.Labels index = labels(source, meta.indexType(), meta.indexDepth(), meta.indexName(), true);
    if (rows < 0 && !index.auto()) {
      NpyHeader level = source.header(FrameMembers.index(0));
      rows = level.rank() == 0 ? 1 : level.dim(0);
    }
    FrameInfo.Labels labels = labels(source, meta.columnsType(), meta.columnsDepth(), meta.columnsName(), false);
    return new FrameInfo(new long[] {Math.max(rows, 0), columns}, json(meta.frameName()), index, labels, blocks);
  }

  private static FrameInfo.Labels labels(FrameSource source, String type, int depth, JsonNode name, boolean index)
      throws IOException {
    boolean auto = !source.has(index ? FrameMembers.index(0) : FrameMembers.columns(0));
    List<String> dtypes = new ArrayList<>();
    if (!auto) {
      for (int i = 0; i < depth; i++) {
        dtypes.add(source.header(index ? FrameMembers.index(i) : FrameMembers.columns(i)).dtype().descr());
      }
    }
    return new FrameInfo.Labels(type, depth, json(name), auto, dtypes);
  }

  private static String json(JsonNode node) {
    return node == null || node.isNull() ? null : node.isTextual() ? node.asText() : node.toString();
  }
}
