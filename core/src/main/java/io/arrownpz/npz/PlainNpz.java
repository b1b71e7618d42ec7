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
 * key, in archive order. Every member must have the same number of rows (its first dimension).
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
        if (!entry.name().endsWith(NpzArchive.NPY_SUFFIX)) {
          throw new BadFileException(npz.path().toString(), entry.name(),
              "is not an array; a plain NPZ holds only .npy members");
        }
        arrays.add(npz.array(entry, allocator));
      }
      requireSameRowCount(npz.path(), arrays);
      NpyVectorReader reader = new NpyVectorReader(allocator, options);
      for (NpyArray array : arrays) {
        vectors.add(reader.read(array, NpzArchive.key(memberOf(array))));
      }
      return new VectorSchemaRoot(vectors);
    } catch (IOException | RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    } finally {
      arrays.forEach(NpyArray::close);
    }
  }

  private static String memberOf(NpyArray array) {
    String source = array.source();
    return source.substring(source.indexOf(": ") + 2);
  }

  private static void requireSameRowCount(Path file, List<NpyArray> arrays) throws BadFileException {
    if (arrays.isEmpty()) {
      return;
    }
    long rows = rows(arrays.get(0).header());
    boolean same = arrays.stream().allMatch(a -> rows(a.header()) == rows);
    if (!same) {
      StringBuilder b = new StringBuilder("members have different lengths, so they are not one table: ");
      for (int i = 0; i < arrays.size(); i++) {
        NpyArray a = arrays.get(i);
        b.append(i == 0 ? "" : ", ").append(memberOf(a)).append(' ').append(NpyHeader.shapeText(a.header().shape()));
      }
      b.append("; read them one at a time (--member NAME)");
      throw new BadFileException(file, null, b.toString());
    }
  }

  private static long rows(NpyHeader h) {
    return h.rank() == 0 ? 1 : h.dim(0);
  }

  /** Writes each column as a member named after it. */
  public static void write(VectorSchemaRoot table, Path path, NpzWriteOptions options) throws IOException {
    try (NpzWriter writer = NpzWriter.create(path, options)) {
      for (FieldVector v : table.getFieldVectors()) {
        writer.add(v.getName(), v);
      }
      writer.commit();
    }
  }
}
