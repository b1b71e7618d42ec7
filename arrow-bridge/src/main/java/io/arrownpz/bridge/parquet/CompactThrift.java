package io.arrownpz.bridge.parquet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of Thrift's compact protocol to edit Parquet's own structures (the footer, page headers)
 * without a Thrift library or generated classes: a struct is read as its fields, each kept as the bytes
 * of its value, so that fields we do not touch are copied unchanged and only the ones we edit are
 * re-encoded. Field headers are always re-encoded, since a compact header stores the distance from the
 * previous field's id.
 */
final class CompactThrift {
  static final int TYPE_TRUE = 1;
  static final int TYPE_FALSE = 2;
  static final int TYPE_I32 = 5;
  static final int TYPE_I64 = 6;
  static final int TYPE_BINARY = 8;
  static final int TYPE_LIST = 9;
  static final int TYPE_STRUCT = 12;

  private CompactThrift() {}

  /** One field of a struct: its id, its compact type, and its value's bytes (none for a boolean). */
  record Field(int id, int type, byte[] value) {
    long integer() {
      return new Reader(ByteBuffer.wrap(value)).zigzag();
    }

    /** A binary field's bytes as UTF-8 text (its value is the length, then the bytes). */
    String text() {
      Reader r = new Reader(ByteBuffer.wrap(value));
      int length = Math.toIntExact(r.varint());
      return new String(r.bytes(r.position(), r.position() + length), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static Field i32(int id, int v) {
    return new Field(id, TYPE_I32, varint(Integer.toUnsignedLong((v << 1) ^ (v >> 31))));
  }

  static Field i64(int id, long v) {
    return new Field(id, TYPE_I64, varint((v << 1) ^ (v >> 63)));
  }

  static Field find(List<Field> fields, int id) {
    for (Field f : fields) {
      if (f.id == id) {
        return f;
      }
    }
    return null;
  }

  /** Puts {@code field} in place of the field with its id, or in id order if the struct had none. */
  static void put(List<Field> fields, Field field) {
    int at = 0;
    while (at < fields.size() && fields.get(at).id < field.id) {
      at++;
    }
    if (at < fields.size() && fields.get(at).id == field.id) {
      fields.set(at, field);
    } else {
      fields.add(at, field);
    }
  }

  /** A struct's fields, read from the reader's position up to and including the struct's stop byte. */
  static List<Field> readStruct(Reader r) {
    List<Field> fields = new ArrayList<>();
    int lastId = 0;
    while (true) {
      int header = r.u8();
      if (header == 0) {
        return fields;
      }
      int type = header & 0x0F;
      int delta = header >>> 4;
      int id = delta != 0 ? lastId + delta : (int) r.zigzag();
      int start = r.pos;
      r.skip(type);
      fields.add(new Field(id, type, r.bytes(start, r.pos)));
      lastId = id;
    }
  }

  static List<Field> readStruct(byte[] bytes) {
    return readStruct(new Reader(ByteBuffer.wrap(bytes)));
  }

  static byte[] writeStruct(List<Field> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int previous = 0;
    for (Field f : fields) {
      int delta = f.id - previous;
      if (delta > 0 && delta <= 15) {
        out.write(delta << 4 | f.type);
      } else {
        out.write(f.type);
        out.writeBytes(varint((f.id << 1) ^ (f.id >> 31)));
      }
      out.write(f.value, 0, f.value.length);
      previous = f.id;
    }
    out.write(0);
    return out.toByteArray();
  }

  /** The elements of a list of structs, each as its fields. */
  static List<List<Field>> readStructList(byte[] list) {
    Reader r = new Reader(ByteBuffer.wrap(list));
    long n = r.listHeader(TYPE_STRUCT);
    List<List<Field>> elements = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      elements.add(readStruct(r));
    }
    return elements;
  }

  static byte[] writeStructList(List<List<Field>> elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(listHeader(elements.size(), TYPE_STRUCT));
    for (List<Field> element : elements) {
      out.writeBytes(writeStruct(element));
    }
    return out.toByteArray();
  }

  static byte[] listHeader(int size, int elementType) {
    if (size < 15) {
      return new byte[] {(byte) (size << 4 | elementType)};
    }
    byte[] n = varint(size);
    byte[] header = new byte[1 + n.length];
    header[0] = (byte) (0xF0 | elementType);
    System.arraycopy(n, 0, header, 1, n.length);
    return header;
  }

  static byte[] varint(long v) {
    byte[] out = new byte[10];
    int n = 0;
    while ((v & ~0x7FL) != 0) {
      out[n++] = (byte) (v & 0x7F | 0x80);
      v >>>= 7;
    }
    out[n++] = (byte) v;
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * Walks compact-protocol values in a buffer, from its position to its limit, without interpreting
   * them; anything that would run past the limit or nest without end is refused.
   */
  static final class Reader {
    /** Thrift values nest: structs in lists in structs. Real footers go a few levels deep. */
    private static final int MAX_DEPTH = 64;

    private final ByteBuffer b;
    private int pos;
    private int depth;

    Reader(ByteBuffer b) {
      this.b = b;
      this.pos = b.position();
    }

    int position() {
      return pos;
    }

    byte[] bytes(int from, int to) {
      byte[] out = new byte[to - from];
      b.get(from, out);
      return out;
    }

    int u8() {
      if (pos >= b.limit()) {
        throw new IllegalArgumentException("a Thrift structure ends too early");
      }
      return b.get(pos++) & 0xFF;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int x = u8();
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("malformed varint in a Thrift structure");
    }

    long zigzag() {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    /** A list's element count, after checking that its elements are of {@code elementType}. */
    long listHeader(int elementType) {
      int h = u8();
      long n = h >>> 4;
      if (n == 15) {
        n = varint();
      }
      if ((h & 0x0F) != elementType && n > 0) {
        throw new IllegalArgumentException("a Thrift list holds type " + (h & 0x0F) + ", not " + elementType);
      }
      if (n < 0 || n > b.limit() - pos) {
        throw new IllegalArgumentException("a Thrift list of " + n + " elements runs past its end");
      }
      return n;
    }

    void skip(int type) {
      if (++depth > MAX_DEPTH) {
        throw new IllegalArgumentException("a Thrift structure nests deeper than " + MAX_DEPTH + " levels");
      }
      try {
        skipValue(type);
      } finally {
        depth--;
      }
    }

    private void skipValue(int type) {
      switch (type) {
        case 1, 2 -> { } // booleans live in the field header
        case 3 -> pos++; // byte
        case 4, 5, 6 -> varint(); // i16, i32, i64
        case 7 -> pos += 8; // double
        case 8 -> { // binary: read the length before moving past the bytes it counts
          long length = varint();
          if (length < 0 || length > b.limit() - pos) {
            throw new IllegalArgumentException("a Thrift string runs past its structure");
          }
          pos += (int) length;
        }
        case 9, 10 -> { // list, set
          int h = u8();
          long n = h >>> 4;
          if (n == 15) {
            n = varint();
          }
          int element = h & 0x0F;
          if (n < 0 || n > b.limit() - pos) {
            throw new IllegalArgumentException("a Thrift list of " + n + " elements runs past its end");
          }
          for (long i = 0; i < n; i++) {
            skipElement(element);
          }
        }
        case 11 -> { // map
          long n = varint();
          if (n < 0 || n > b.limit() - pos) {
            throw new IllegalArgumentException("a Thrift map of " + n + " entries runs past its end");
          }
          if (n > 0) {
            int kv = u8();
            for (long i = 0; i < n; i++) {
              skipElement(kv >>> 4);
              skipElement(kv & 0x0F);
            }
          }
        }
        case 12 -> { // struct
          while (true) {
            int h = u8();
            if (h == 0) {
              break;
            }
            if (h >>> 4 == 0) {
              zigzag();
            }
            skip(h & 0x0F);
          }
        }
        default -> throw new IllegalArgumentException("unknown Thrift type " + type);
      }
      if (pos > b.limit()) {
        throw new IllegalArgumentException("a Thrift structure ends too early");
      }
    }

    /** Inside lists and maps, booleans take a byte of their own. */
    private void skipElement(int type) {
      if (type == 1 || type == 2) {
        pos++;
      } else {
        skip(type);
      }
    }
  }
}
