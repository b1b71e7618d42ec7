package io.arrownpz.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Head-to-head results as a text table (with ratios to NPZ) or as one JSON document. */
final class ResultTable {
  private ResultTable() {}

  static void print(PrintWriter out, List<Measurement> results) {
    out.printf(Locale.ROOT, "%-24s %-13s %10s %10s %10s %13s %10s %9s %8s %8s%n", "input", "format", "write", "open",
        "read", "reread (warm)", "size", "write/npz", "read/npz", "size/npz");
    for (Map.Entry<String, List<Measurement>> input : byInput(results).entrySet()) {
      Measurement npz = input.getValue().stream().filter(m -> m.format() == Contender.NPZ && m.ok()).findFirst()
          .orElse(null);
      for (Measurement m : input.getValue()) {
        if (!m.ok()) {
          out.printf(Locale.ROOT, "%-24s %-13s %s%n", input.getKey(), m.format().label, "n/a: " + m.error());
          continue;
        }
        out.printf(Locale.ROOT, "%-24s %-13s %10s %10s %10s %13s %10s %9s %8s %8s%n", input.getKey(),
            m.format().label, Units.millis(m.writeMs()), Units.millis(m.openMs()), Units.millis(m.readMs()),
            Units.millis(m.rereadMs()), Units.bytes(m.bytes()),
            ratio(m.writeMs(), npz == null ? Double.NaN : npz.writeMs()),
            ratio(m.readMs(), npz == null ? Double.NaN : npz.readMs()),
            ratio(m.bytes(), npz == null ? Double.NaN : npz.bytes()));
      }
    }
    out.flush();
  }

  private static String ratio(double value, double base) {
    return Double.isNaN(base) || base <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", value / base);
  }

  static Map<String, List<Measurement>> byInput(List<Measurement> results) {
    Map<String, List<Measurement>> grouped = new LinkedHashMap<>();
    for (Measurement m : results) {
      grouped.computeIfAbsent(m.input(), k -> new java.util.ArrayList<>()).add(m);
    }
    return grouped;
  }

  /**
   * {@code {"runs": N, "warmups": N or "auto", "inputs": [{"input": ..., "rows": ..., "columns": ..., "warmups": N
   * (the passes made), "formats": [{"format": ...,
   * "write_ms": ..., "open_ms": ..., "read_ms": ..., "bytes": ...} or {"format": ..., "error": ...}]}]}}
   */
  static String json(List<Measurement> results, Map<String, int[]> shapes, int runs, WarmUp warmUp,
      Map<String, Integer> warmUpsMade) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("runs", runs);
    if (warmUp.isAuto()) {
      root.put("warmups", warmUp.toString());
    } else {
      root.put("warmups", warmUp.fixedPasses());
    }
    ArrayNode inputs = root.putArray("inputs");
    for (Map.Entry<String, List<Measurement>> input : byInput(results).entrySet()) {
      ObjectNode in = inputs.addObject();
      in.put("input", input.getKey());
      int[] shape = shapes.get(input.getKey());
      if (shape != null) {
        in.put("rows", shape[0]);
        in.put("columns", shape[1]);
      }
      Integer made = warmUpsMade.get(input.getKey());
      if (made != null) {
        in.put("warmups", made);
      }
      ArrayNode formats = in.putArray("formats");
      for (Measurement m : input.getValue()) {
        ObjectNode f = formats.addObject();
        f.put("format", m.format().label);
        if (!m.ok()) {
          f.put("error", m.error());
          continue;
        }
        f.put("write_ms", round(m.writeMs()));
        f.put("open_ms", round(m.openMs()));
        f.put("read_ms", round(m.readMs()));
        f.put("reread_ms", round(m.rereadMs()));
        f.put("bytes", m.bytes());
      }
    }
    return root.toString();
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
