package io.arrownpz.internal.npy;

import io.arrownpz.npy.NpyHeader;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.BadFileException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the NPY preamble: magic, version, header length and the header dict. Reading
 * validates everything that can be checked without touching the data, so that a caller maps or allocates
 * only for a consistent array of known size.
 */
public final class NpyHeaderCodec {
  public static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** NumPy pads headers so that data starts on a multiple of this. */
  public static final int ALIGNMENT = 64;
  /** NumPy leaves room to grow the first (or last) axis in place; its writer pads with this many digits. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  /** No real header comes close; refusing bigger ones bounds what a hostile length can make us read. */
  private static final long MAX_HEADER_BYTES = 1 << 20;

  private NpyHeaderCodec() {}

  /** Reads bytes of the NPY stream at a position; returns fewer only at the end of the data. */
  @FunctionalInterface
  public interface ByteReader {
    ByteBuffer read(long position, int length) throws IOException;
  }

  /**
   * Reads and validates a header.
   *
   * @param reader where the NPY bytes come from, position 0 being the magic
   * @param available total bytes of the NPY stream (the file size, or an archive member's size)
   * @param file the file, for error messages
   * @param member the archive member, or null
   */
  public static NpyHeader read(ByteReader reader, long available, String file, String member) throws IOException {
    return read(reader, available, file, member, null);
  }

  /**
   * Reads and validates a header, parsing its text only when {@code cache} has not seen the same text:
   * frames repeat one header across thousands of members. The size checks still run for every member.
   */
  public static NpyHeader read(ByteReader reader, long available, String file, String member, HeaderCache cache)
      throws IOException {
    if (available < 10) {
      throw new BadFileException(file, member, available == 0 ? "empty file, not an NPY array"
          : "only " + available + " bytes, too short for an NPY header");
    }
    ByteBuffer prelude = reader.read(0, 12 <= available ? 12 : 10).order(ByteOrder.LITTLE_ENDIAN);
    if (prelude.limit() < 10) {
      // The bytes end before the size they were declared with (a short archive member, a broken stream).
      throw new BadFileException(file, member, "truncated: the data ends within the first " + prelude.limit()
          + " bytes, before its NPY header does");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (prelude.get(i) != MAGIC[i]) {
        throw new BadFileException(file, member, "not an NPY file (bad magic bytes)");
      }
    }
    int major = prelude.get(6) & 0xff;
    int minor = prelude.get(7) & 0xff;
    long headerLength;
    int preludeLength;
    if (major == 1) {
      headerLength = prelude.getShort(8) & 0xffff;
      preludeLength = 10;
    } else if (major == 2 || major == 3) {
      if (prelude.limit() < 12) {
        throw new BadFileException(file, member, "too short for an NPY " + major + ".0 header");
      }
      headerLength = prelude.getInt(8) & 0xffffffffL;
      preludeLength = 12;
    } else {
      throw new BadFileException(file, member, "unsupported NPY version " + major + "." + minor
          + " (1.0, 2.0 and 3.0 are known)");
    }
    if (minor != 0) {
      throw new BadFileException(file, member, "unsupported NPY version " + major + "." + minor);
    }
    long dataOffset = preludeLength + headerLength;
    if (dataOffset > available) {
      throw new BadFileException(file, member, "header length " + headerLength + " runs past the end of the data ("
          + available + " bytes)");
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new BadFileException(file, member, "header of " + headerLength + " bytes is implausibly large");
    }
    ByteBuffer raw = reader.read(preludeLength, (int) headerLength);
    if (raw.remaining() < headerLength) {
      throw new BadFileException(file, member, "truncated header");
    }
    NpyHeader header = cache == null ? null : cache.get(major, raw);
    if (header == null) {
      header = parse(raw.duplicate(), major, dataOffset, file, member);
      if (cache != null) {
        cache.put(major, raw, header);
      }
    }
    checkSize(header, available, dataOffset, file, member);
    return header;
  }

  private static NpyHeader parse(ByteBuffer raw, int major, long dataOffset, String file, String member)
      throws IOException {
    String text;
    try {
      text = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(raw)
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadFileException(file, member, "header is not valid UTF-8");
    }
    try {
      return interpret(PythonLiteral.parseDict(text), major, dataOffset);
    } catch (IllegalArgumentException e) {
      throw new BadFileException(file, member, e.getMessage());
    }
  }

  private static void checkSize(NpyHeader header, long available, long dataOffset, String file, String member)
      throws BadFileException {
    long expected = header.dataBytes();
    long actual = available - dataOffset;
    if (actual < expected) {
      throw new BadFileException(file, member, "truncated data: shape " + NpyHeader.shapeText(header.shape())
          + " of " + header.dtype() + " needs " + expected + " bytes, " + actual + " follow the header");
    }
    if (actual > expected) {
      throw new BadFileException(file, member, actual + " bytes follow the header but shape "
          + NpyHeader.shapeText(header.shape()) + " of " + header.dtype() + " needs " + expected);
    }
  }

  private static NpyHeader interpret(Map<String, Object> dict, int major, long dataOffset) {
    for (String key : List.of("descr", "fortran_order", "shape")) {
      if (!dict.containsKey(key)) {
        throw new IllegalArgumentException("header has no '" + key + "' key");
      }
    }
    if (dict.size() != 3) {
      throw new IllegalArgumentException("header has keys other than descr, fortran_order and shape: " + dict.keySet());
    }
    Object descr = dict.get("descr");
    if (descr instanceof List) {
      throw new IllegalArgumentException("structured dtypes (a list of fields in 'descr') are not supported");
    }
    if (!(descr instanceof String d)) {
      throw new IllegalArgumentException("'descr' is not a string");
    }
    NpyDtype dtype = NpyDtype.parse(d);
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new IllegalArgumentException("'fortran_order' is not True or False");
    }
    if (!(dict.get("shape") instanceof List<?> dims)) {
      throw new IllegalArgumentException("'shape' is not a tuple");
    }
    long[] shape = new long[dims.size()];
    long elements = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof BigInteger dim)) {
        throw new IllegalArgumentException("'shape' holds something that is not an integer");
      }
      if (dim.signum() < 0) {
        throw new IllegalArgumentException("negative dimension " + dim + " in shape");
      }
      if (dim.bitLength() > 63) {
        throw new IllegalArgumentException("dimension " + dim + " is too large");
      }
      shape[i] = dim.longValue();
    }
    // Multiplied only once every dimension is known, so that the error shows the shape as written.
    for (long size : shape) {
      try {
        elements = Math.multiplyExact(elements, size);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("shape " + NpyHeader.shapeText(shape) + " overflows a 64-bit size");
      }
    }
    try {
      Math.multiplyExact(elements, (long) dtype.itemSize());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape " + NpyHeader.shapeText(shape) + " of " + dtype + " overflows a 64-bit size");
    }
    return new NpyHeader(major, dtype, fortran, shape, dataOffset);
  }

  /**
   * The bytes NumPy's own writer produces for this array: version 1.0 unless the header needs more room,
   * NumPy's spelling and growth padding, data aligned to {@link #ALIGNMENT}.
   */
  public static byte[] encode(NpyDtype dtype, boolean fortranOrder, long[] shape) {
    StringBuilder dict = new StringBuilder(128)
        .append("{'descr': '").append(dtype.descr()).append("', 'fortran_order': ")
        .append(fortranOrder ? "True" : "False").append(", 'shape': ").append(NpyHeader.shapeText(shape))
        .append(", }");
    if (shape.length > 0) {
      int growthAxis = fortranOrder ? shape.length - 1 : 0;
      dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[growthAxis]).length())));
    }
    byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    int major = text.length + ALIGNMENT + 1 > 0xffff ? 2 : 1;
    int preludeLength = major == 1 ? 10 : 12;
    int pad = ALIGNMENT - (preludeLength + text.length + 1) % ALIGNMENT;
    int headerLength = text.length + pad + 1;
    ByteBuffer out = ByteBuffer.allocate(preludeLength + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      out.putShort((short) headerLength);
    } else {
      out.putInt(headerLength);
    }
    out.put(text);
    for (int i = 0; i < pad; i++) {
      out.put((byte) ' ');
    }
    out.put((byte) '\n');
    return out.array();
  }
}
