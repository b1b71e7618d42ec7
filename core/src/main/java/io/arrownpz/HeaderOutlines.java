package io.arrownpz;

import io.arrownpz.input.InputFile;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.npz.PlainNpz;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The outlines ({@link NumpyTables#outline}) that headers alone give: an {@code .npy}'s, and a plain
 * archive's, the fields exactly as a read of the file gives them.
 */
final class HeaderOutlines {
  private HeaderOutlines() {}

  /** An {@code .npy}'s outline, from its header. */
  static NumpyTables.Outline npy(InputFile file, BufferAllocator allocator, ReadOptions options)
      throws IOException {
    NpyHeader header = NpyFile.readHeader(file);
    Field field = io.arrownpz.arrow.NumpyArrowTypes.field(NumpyTables.columnName(file), header, options.arrays());
    return new NumpyTables.Outline(new Schema(List.of(asVectorsName(field, allocator))), PlainNpz.rows(header));
  }

  /** A field as its vector gives it back (Arrow names a fixed-size list's child itself). */
  private static Field asVectorsName(Field field, BufferAllocator allocator) {
    if (field.getChildren().isEmpty()) {
      return field;
    }
    try (FieldVector empty = field.createVector(allocator)) {
      return empty.getField();
    }
  }

  /**
   * A plain archive's outline from its members' headers (a member with a {@code NAME.__mask__} member
   * nullable), or null for any other layout, or for an archive of several tables. Closes the archive on
   * failure only.
   */
  static NumpyTables.Outline plain(NpzArchive npz, BufferAllocator allocator, ReadOptions options)
      throws IOException {
    try {
      if (npz.layout() != NpzLayout.PLAIN) {
        return null;
      }
      npz.zip().willReadHeads(npz.entries()); // on a file elsewhere: every header, in as few reads as gaps allow
      if (!PlainNpz.tables(npz).isEmpty()) {
        return null;
      }
      List<Field> fields = new ArrayList<>();
      long rows = 0;
      for (ZipEntry entry : npz.entries()) {
        String key = NpzArchive.key(entry.name());
        PlainNpz.requireArray(npz, entry);
        if (PlainNpz.isMaskOfAnother(npz, key)) {
          continue;
        }
        NpyHeader header = npz.header(entry);
        rows = PlainNpz.rows(header);
        Field field = asVectorsName(io.arrownpz.arrow.NumpyArrowTypes.field(key, header, options.arrays()), allocator);
        boolean masked = PlainNpz.maskEntry(npz, key) != null;
        fields.add(masked && !field.isNullable() ? new Field(field.getName(), new FieldType(true, field.getType(),
            field.getDictionary(), field.getMetadata()), field.getChildren()) : field);
      }
      return new NumpyTables.Outline(new Schema(fields), rows);
    } catch (IOException | RuntimeException e) {
      npz.close();
      throw e;
    }
  }
}
