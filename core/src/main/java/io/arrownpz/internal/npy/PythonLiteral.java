package io.arrownpz.internal.npy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the small subset of Python literal syntax that NPY headers use: a dict of string keys whose
 * values are strings, True/False, integers and tuples or lists of those. Nothing is evaluated. Both
 * NumPy's spelling ({@code {'descr': '<i8', ...}}) and StaticFrame's ({@code {"descr":"<i8",...}})
 * parse. Integers come back as {@link BigInteger} so that the caller decides what overflows.
 */
final class PythonLiteral {
  private final String text;
  private int pos;

  private PythonLiteral(String text) {
    this.text = text;
  }

  /** Parses a dict literal followed only by whitespace. */
  static Map<String, Object> parseDict(String text) {
    PythonLiteral p = new PythonLiteral(text);
    p.skipSpace();
    if (p.peek() != '{') {
      throw new IllegalArgumentException("header is not a Python dict literal");
    }
    Map<String, Object> dict = p.dict();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the dict");
    }
    return dict;
  }

  private Map<String, Object> dict() {
    expect('{');
    Map<String, Object> map = new LinkedHashMap<>();
    skipSpace();
    while (peek() != '}') {
      Object key = value();
      if (!(key instanceof String s)) {
        throw error("dict key is not a string");
      }
      skipSpace();
      expect(':');
      Object v = value();
      if (map.put(s, v) != null) {
        throw error("key '" + s + "' appears twice");
      }
      skipSpace();
      if (peek() == ',') {
        pos++;
        skipSpace();
      } else if (peek() != '}') {
        throw error("expected ',' or '}'");
      }
    }
    pos++;
    return map;
  }

  private Object value() {
    skipSpace();
    char c = peek();
    if (c == '\'' || c == '"') {
      return string();
    }
    if (c == '(' || c == '[') {
      return sequence(c == '(' ? ')' : ']');
    }
    if (c == '-' || c == '+' || Character.isDigit(c)) {
      return integer();
    }
    if (text.startsWith("True", pos)) {
      pos += 4;
      return Boolean.TRUE;
    }
    if (text.startsWith("False", pos)) {
      pos += 5;
      return Boolean.FALSE;
    }
    throw error("unexpected character '" + c + "'");
  }

  private List<Object> sequence(char close) {
    pos++;
    List<Object> items = new ArrayList<>();
    skipSpace();
    while (peek() != close) {
      items.add(value());
      skipSpace();
      if (peek() == ',') {
        pos++;
        skipSpace();
      } else if (peek() != close) {
        throw error("expected ',' or '" + close + "'");
      }
    }
    pos++;
    return items;
  }

  private String string() {
    char quote = text.charAt(pos++);
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\\') {
        if (pos >= text.length()) {
          throw error("unterminated string");
        }
        char e = text.charAt(pos++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case '\\', '\'', '"' -> b.append(e);
          default -> throw error("unsupported escape '\\" + e + "'");
        }
      } else {
        b.append(c);
      }
    }
  }

  private BigInteger integer() {
    int start = pos;
    if (peek() == '-' || peek() == '+') {
      pos++;
    }
    int digitsStart = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == digitsStart || digitsStart - start > 1) {
      throw error("malformed integer");
    }
    // Python 2 wrote long integers with an L suffix; old files still have it.
    BigInteger value = new BigInteger(text.substring(start, pos));
    if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
      pos++;
    }
    return value;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("header ends too early");
    }
    return text.charAt(pos);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("malformed header at character " + pos + ": " + what);
  }
}
