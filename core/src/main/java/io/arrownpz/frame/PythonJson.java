package io.arrownpz.frame;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON exactly as Python's {@code json.dumps} does by default (", " and ": " separators, non-ASCII
 * escaped as lowercase {@code \\uXXXX}), which is how StaticFrame writes {@code __meta__.json}: a frame
 * read and written again gets back the same bytes.
 */
final class PythonJson {
  private PythonJson() {}

  static String write(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b);
    return b.toString();
  }

  private static void write(JsonNode node, StringBuilder b) {
    if (node == null || node.isNull()) {
      b.append("null");
    } else if (node.isTextual()) {
      string(node.asText(), b);
    } else if (node.isBoolean()) {
      b.append(node.asBoolean() ? "true" : "false");
    } else if (node.isIntegralNumber()) {
      b.append(node.bigIntegerValue());
    } else if (node.isNumber()) {
      double d = node.asDouble();
      b.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : PythonFloat.repr(d));
    } else if (node.isArray()) {
      b.append('[');
      for (int i = 0; i < node.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        write(node.get(i), b);
      }
      b.append(']');
    } else {
      b.append('{');
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!first) {
          b.append(", ");
        }
        first = false;
        string(e.getKey(), b);
        b.append(": ");
        write(e.getValue(), b);
      }
      b.append('}');
    }
  }

  private static void string(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
