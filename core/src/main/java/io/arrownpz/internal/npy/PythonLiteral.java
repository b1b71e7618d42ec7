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
  /** Real headers nest two or three levels (a shape tuple; a structured dtype's lists); more is hostile. */
  static final int MAX_DEPTH = 32;
  /** Digits of one integer: a 64-bit size has 19; long runs would only cost quadratic parsing time. */
  private static final int MAX_DIGITS = 40;

  private final String text;
  private int pos;
  private int depth;

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

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested more than " + MAX_DEPTH + " levels deep");
    }
  }

  private Map<String, Object> dict() {
    enter();
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
    depth--;
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
    if (c == '-' || c == '+' || c >= '0' && c <= '9') {
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
    enter();
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
    depth--;
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
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == digitsStart || digitsStart - start > 1) {
      throw error("malformed integer");
    }
    if (pos - digitsStart > MAX_DIGITS) {
      throw error("an integer of " + (pos - digitsStart) + " digits");
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
