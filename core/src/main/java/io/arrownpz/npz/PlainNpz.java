package io.arrownpz.npz;

import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The plain layout, as {@code np.savez(path, a=..., b=...)} writes it: one column per member, named by its
 * key, in archive order. Every member must have the same number of rows (its first dimension). A member
 * {@code NAME.__mask__} beside {@code NAME} is that column's null mask (NumPy's masked-array convention).
 */
public final class PlainNpz {
  private PlainNpz() {}

  /** Reads every member as a column. The caller closes the table. */
  public static VectorSchemaRoot read(NpzArchive npz, BufferAllocator allocator, NpyReadOptions options)
      throws IOException {
    List<NpyArray> arrays = new ArrayList<>();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (ZipEntry entry : npz.entries()) {
        requireArray(npz, entry);
        arrays.add(npz.array(entry, allocator));
      }
      requireSameRowCount(npz.name(), arrays);
      NpyVectorReader reader = new NpyVectorReader(allocator, options);
      java.util.Set<String> keys = new java.util.HashSet<>();
      arrays.forEach(a -> keys.add(NpzArchive.key(memberOf(a))));
      java.util.Map<String, NpyArray> masks = new java.util.HashMap<>();
      for (NpyArray array : arrays) {
        String key = NpzArchive.key(memberOf(array));
        String of = key.endsWith(PackedNpz.MASK_SUFFIX) ? key.substring(0, key.length() - PackedNpz.MASK_SUFFIX.length())
            : null;
        if (of != null && keys.contains(of)) {
          masks.put(of, array); // NAME.__mask__ beside NAME: NAME's nulls, as NumPy's masked arrays mark them
          continue;
        }
        vectors.add(reader.read(array, key));
      }
      for (int i = 0; i < vectors.size(); i++) {
        NpyArray mask = masks.get(vectors.get(i).getName());
        if (mask != null) {
          vectors.set(i, withMask(npz, vectors.get(i), mask, reader));
        }
      }
      return new VectorSchemaRoot(vectors);
    } catch (IOException | RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    } finally {
      arrays.forEach(NpyArray::close);
    }
  }

  /** Whether the member of {@code key} is {@code NAME.__mask__} beside a member {@code NAME}: its nulls. */
  public static boolean isMaskOfAnother(NpzArchive npz, String key) {
    return key.endsWith(PackedNpz.MASK_SUFFIX) && npz.zip().entry(
        key.substring(0, key.length() - PackedNpz.MASK_SUFFIX.length()) + NpzArchive.NPY_SUFFIX) != null;
  }

  /** The member holding the nulls of the column {@code key} ({@code key.__mask__.npy}), or null when none. */
  public static ZipEntry maskEntry(NpzArchive npz, String key) {
    return key.endsWith(PackedNpz.MASK_SUFFIX) ? null
        : npz.zip().entry(key + PackedNpz.MASK_SUFFIX + NpzArchive.NPY_SUFFIX); // a lookup, not a walk
  }

  /** Refuses a member that is no array: a plain NPZ holds only {@code .npy} members. */
  public static void requireArray(NpzArchive npz, ZipEntry entry) throws BadFileException {
    if (!entry.name().endsWith(NpzArchive.NPY_SUFFIX)) {
      throw new BadFileException(npz.name(), entry.name(), "is not an array; a plain NPZ holds only .npy members");
    }
  }

  /**
   * The tables a plain archive holds when its arrays differ in length (model weights, a dataset's parts):
   * each member but the null masks, by key, in archive order, from the headers alone. Empty when the
   * archive is one table (its arrays of one length), or not plain.
   */
  public static List<String> tables(NpzArchive npz) throws IOException {
    if (npz.layout() != NpzLayout.PLAIN) {
      return List.of();
    }
    java.util.LinkedHashMap<String, Long> rows = new java.util.LinkedHashMap<>();
    for (ZipEntry entry : npz.entries()) {
      if (!entry.name().endsWith(NpzArchive.NPY_SUFFIX)) {
        return List.of(); // not a plain archive of arrays: its read says what is wrong
      }
      rows.put(NpzArchive.key(entry.name()), rows(npz.header(entry)));
    }
    return tables(rows);
  }

  /**
   * As {@link #tables(NpzArchive)}, from the row count of each array member of a plain archive, by key in
   * archive order (headers already read).
   */
  public static List<String> tables(java.util.LinkedHashMap<String, Long> rowsByKey) {
    java.util.LinkedHashMap<String, Long> rows = new java.util.LinkedHashMap<>(rowsByKey);
    rows.keySet().removeIf(key -> key.endsWith(PackedNpz.MASK_SUFFIX)
        && rows.containsKey(key.substring(0, key.length() - PackedNpz.MASK_SUFFIX.length())));
    return rows.values().stream().distinct().count() > 1 ? List.copyOf(rows.keySet()) : List.of();
  }

  /**
   * One member as a one-column table, with its {@code NAME.__mask__} member, if the archive has one, as its
   * nulls. The caller closes the table.
   */
  public static VectorSchemaRoot readMember(NpzArchive npz, String member, BufferAllocator allocator,
      NpyReadOptions options) throws IOException {
    String key = NpzArchive.key(member);
    NpyVectorReader reader = new NpyVectorReader(allocator, options);
    FieldVector column;
    try (NpyArray array = npz.array(member, allocator)) {
      column = reader.read(array, key);
    }
    ZipEntry maskEntry = maskEntry(npz, key);
    if (maskEntry != null) {
      try (NpyArray mask = npz.array(maskEntry.name(), allocator)) {
        column = withMask(npz, column, mask, reader);
      } catch (IOException | RuntimeException e) {
        column.close();
        throw e;
      }
    }
    return VectorSchemaRoot.of(column);
  }

  /** The column with the rows its mask marks (true) as null. */
  private static FieldVector withMask(NpzArchive npz, FieldVector column, NpyArray mask, NpyVectorReader reader)
      throws IOException {
    try (FieldVector bits = reader.read(mask, NpzArchive.key(memberOf(mask)))) {
      if (!(bits instanceof org.apache.arrow.vector.BitVector) || bits.getValueCount() != column.getValueCount()) {
        throw new BadFileException(npz.name(), memberOf(mask), "a null mask must be a bool array of "
            + column.getValueCount() + " values, not " + mask.dtype() + " " + NpyHeader.shapeText(mask.header().shape()));
      }
      FieldVector nullable = io.arrownpz.internal.arrow.Vectors.asNullable(column);
      NullMasks.apply(nullable, bits);
      return nullable;
    }
  }

  private static String memberOf(NpyArray array) {
    String source = array.source();
    return source.substring(source.indexOf(": ") + 2);
  }

  private static void requireSameRowCount(String file, List<NpyArray> arrays) throws BadFileException {
    if (arrays.isEmpty()) {
      return;
    }
    long rows = rows(arrays.get(0).header());
    boolean same = arrays.stream().allMatch(a -> rows(a.header()) == rows);
    if (!same) {
      StringBuilder b = new StringBuilder("members have different lengths, so the archive is a set of tables, one "
          + "per member: ");
      java.util.Set<String> keys = new java.util.HashSet<>();
      arrays.forEach(a -> keys.add(NpzArchive.key(memberOf(a))));
      String separator = "";
      for (NpyArray a : arrays) {
        String key = NpzArchive.key(memberOf(a));
        if (key.endsWith(PackedNpz.MASK_SUFFIX)
            && keys.contains(key.substring(0, key.length() - PackedNpz.MASK_SUFFIX.length()))) {
          continue; // a mask is its column's nulls, not a table
        }
        b.append(separator).append(memberOf(a)).append(' ').append(NpyHeader.shapeText(a.header().shape()));
        separator = ", ";
      }
      b.append("; convert it into a directory (a file per member), or read one member");
      throw new BadFileException(file, null, b.toString()).withRemedy(io.arrownpz.Remedy.CHOOSE_MEMBER);
    }
  }

  /** A member's row count as a table's: its first dimension, or 1 for a scalar. */
  public static long rows(NpyHeader h) {
    return h.rank() == 0 ? 1 : h.dim(0);
  }

  /**
   * Writes each column as a member named after it. A datetime or timedelta column writes its nulls as NaT.
   * Any other column with nulls is written as its values (null slots NaN, zero or empty) and a bool member
   * {@code NAME.__mask__} beside it, true where null:
   * {@code np.ma.masked_array(z['x'], z['x.__mask__'])} in NumPy, and nulls again when we read it.
   */
  public static void write(VectorSchemaRoot table, Path path, NpzWriteOptions options) throws IOException {
    try (NpzWriter writer = NpzWriter.create(path, options)) {
      for (FieldVector v : table.getFieldVectors()) {
        if (!NullMasks.needsMask(v, v.getName())) {
          writer.add(v.getName(), v);
          continue;
        }
        try (FieldVector values = NullMasks.storable(v, v.getName(), v.getAllocator())) {
          writer.add(v.getName(), values);
        }
        String mask = v.getName() + PackedNpz.MASK_SUFFIX;
        try (FieldVector bits = NullMasks.maskOf(v, mask, v.getAllocator())) {
          writer.add(mask, bits);
        }
      }
      writer.commit();
    }
  }
}
