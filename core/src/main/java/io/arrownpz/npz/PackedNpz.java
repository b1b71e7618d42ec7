package io.arrownpz.npz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.internal.arrow.ListVectors;
import io.arrownpz.internal.arrow.Vectors;
import io.arrownpz.internal.arrow.VectorLoading;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The packed-events layout (docs/FORMAT.md section 4): {@code __offsets__.npy} (int32 or int64, groups + 1)
 * shared by every list column, one member per scalar column (one value per group) and one per list
 * column (the flat values). Lists read as ListVector (LargeListVector for int64 offsets) whose offsets
 * and values point into the file. {@code __packed__.json} names the scalar and list columns; without it,
 * members are told apart by length.
 */
public final class PackedNpz {
  public static final String DESCRIPTION = "__packed__.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PackedNpz() {}

  public static VectorSchemaRoot read(NpzArchive npz, BufferAllocator allocator, NpyReadOptions options)
      throws IOException {
    String file = npz.name();
    List<FieldVector> columns = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    try (NpyArray offsets = npz.array(NpzArchive.PACKED_OFFSETS, allocator)) {
      NpyDtype offsetType = offsets.dtype();
      boolean large = offsetType.itemSize() == 8;
      if (offsetType.kind() != Kind.INT || offsetType.isBigEndian() || offsets.header().rank() != 1
          || offsetType.itemSize() != 4 && !large || offsets.header().dim(0) < 1) {
        throw new BadFileException(file, NpzArchive.PACKED_OFFSETS,
            "offsets must be a 1-d little-endian int32 or int64 array of length groups + 1, not "
                + offsetType + " " + io.arrownpz.npy.NpyHeader.shapeText(offsets.header().shape()));
      }
      int groups = Math.toIntExact(offsets.header().dim(0) - 1);
      long flat = checkOffsets(offsets, groups, large, file);
      Description described = describe(npz, allocator);
      Set<String> lists = described == null ? null : described.lists();
      NpyVectorReader reader = new NpyVectorReader(allocator, options);
      for (ZipEntry entry : npz.entries()) {
        String name = entry.name();
        if (name.equals(NpzArchive.PACKED_OFFSETS) || name.equals(DESCRIPTION)
            || described != null && described.isMask(NpzArchive.key(name))) {
          continue;
        }
        if (!name.endsWith(NpzArchive.NPY_SUFFIX)) {
          throw new BadFileException(file, name, "is not an array");
        }
        try (NpyArray array = npz.array(entry, allocator)) {
          long length = array.header().rank() == 0 ? 1 : array.header().dim(0);
          String key = NpzArchive.key(name);
          boolean isList = lists != null ? lists.contains(key) : length == flat;
          long expected = isList ? flat : groups;
          if (length != expected) {
            throw new BadFileException(file, name, (isList ? "list" : "scalar") + " column has " + length
                + " rows; the offsets say " + expected);
          }
          FieldVector read = reader.read(array, key);
          // Masked columns hold nulls once the masks are applied; list items are nullable, as Arrow's
          // writers (pyarrow, Parquet) declare them.
          FieldVector values = isList || described != null && described.masks().containsKey(key)
              ? Vectors.asNullable(read) : read;
          if (!isList) {
            columns.add(values);
            fields.add(values.getField());
            continue;
          }
          try (values; ArrowBuf offsetBuffer = offsets.dataBuffer(allocator)) {
            columns.add(ListVectors.of(key, large, values, offsetBuffer, groups, allocator));
            fields.add(ListVectors.field(key, large, values.getField()));
          }
        }
      }
      if (described != null) {
        applyMasks(npz, described, fields, columns, allocator, options);
      }
      return new VectorSchemaRoot(fields, columns, groups);
    } catch (IOException | RuntimeException e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
  }

  /** Offsets must start at 0, never decrease, and end at the length of the list members. */
  private static long checkOffsets(NpyArray offsets, int groups, boolean large, String file) throws BadFileException {
    long base = offsets.dataAddress();
    long previous = 0;
    for (int g = 0; g <= groups; g++) {
      long value = large ? MemoryUtil.getLong(base + 8L * g) : MemoryUtil.getInt(base + 4L * g);
      if (g == 0 && value != 0 || value < previous) {
        throw new BadFileException(file, NpzArchive.PACKED_OFFSETS, "offsets must start at 0 and never decrease"
            + " (offset " + g + " is " + value + ")");
      }
      previous = value;
    }
    if (!large && previous > Integer.MAX_VALUE) {
      throw new BadFileException(file, NpzArchive.PACKED_OFFSETS, "int32 offsets overflow");
    }
    return previous;
  }

  /**
   * What {@code __packed__.json} says: which columns are lists, and which members are null masks of a
   * column's values ({@code masks}) or of its lists ({@code list_masks}).
   */
  private record Description(Set<String> lists, Map<String, String> masks, Map<String, String> listMasks) {
    boolean isMask(String key) {
      return masks.containsValue(key) || listMasks.containsValue(key);
    }
  }

  private static Description describe(NpzArchive npz, BufferAllocator allocator) throws IOException {
    ZipEntry entry = npz.zip().entry(DESCRIPTION);
    if (entry == null) {
      return null;
    }
    try (var bytes = io.arrownpz.internal.npy.Internals.archives().open(npz.zip(), entry, allocator)) {
      byte[] raw = new byte[(int) bytes.length()];
      bytes.view(0, raw.length).get(raw);
      JsonNode description = JSON.readTree(raw);
      Set<String> lists = new HashSet<>();
      description.path("lists").forEach(n -> lists.add(n.asText()));
      return new Description(lists, names(description.path("masks")), names(description.path("list_masks")));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadFileException(npz.name(), DESCRIPTION, "is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static Map<String, String> names(JsonNode object) {
    Map<String, String> names = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
    return names;
  }

  private static void applyMasks(NpzArchive npz, Description described, List<Field> fields, List<FieldVector> columns,
      BufferAllocator allocator, NpyReadOptions options) throws IOException {
    NpyVectorReader reader = new NpyVectorReader(allocator, options);
    for (int listLevel = 0; listLevel < 2; listLevel++) {
      Map<String, String> masks = listLevel == 1 ? described.listMasks() : described.masks();
      for (Map.Entry<String, String> mask : masks.entrySet()) {
        int index = indexOf(fields, mask.getKey());
        String member = mask.getValue() + NpzArchive.NPY_SUFFIX;
        if (index < 0) {
          throw new BadFileException(npz.name(), member, "is the mask of '" + mask.getKey()
              + "', which the archive does not hold");
        }
        FieldVector column = columns.get(index);
        boolean isList = column instanceof BaseRepeatedValueVector || column instanceof LargeListVector;
        FieldVector target = listLevel == 0 && isList ? ListVectors.dataVector(column) : column;
        try (NpyArray array = npz.array(member, allocator); FieldVector bits = reader.read(array, mask.getValue())) {
          if (!(bits instanceof org.apache.arrow.vector.BitVector) || bits.getValueCount() != target.getValueCount()) {
            throw new BadFileException(npz.name(), member, "a null mask must be a bool array of "
                + target.getValueCount() + " values, not " + array.dtype() + " "
                + io.arrownpz.npy.NpyHeader.shapeText(array.header().shape()));
          }
          NullMasks.apply(target, bits);
        }
      }
    }
  }

  private static int indexOf(List<Field> fields, String name) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Writes a table whose list columns share one set of offsets: scalar columns as members of one value
   * per group, list columns as their flat values, the offsets once, and {@code __packed__.json}.
   */
  public static void write(VectorSchemaRoot table, Path path, NpzWriteOptions options) throws IOException {
    List<FieldVector> lists = new ArrayList<>();
    List<FieldVector> scalars = new ArrayList<>();
    for (FieldVector v : table.getFieldVectors()) {
      (ListVectors.isListColumn(v) ? lists : scalars).add(v);
    }
    if (lists.isEmpty()) {
      throw new UnsupportedDataException(table.getSchema().getFields().isEmpty() ? "" : scalars.get(0).getName(),
          "a packed NPZ needs at least one list column");
    }
    FieldVector first = lists.get(0);
    int groups = first.getValueCount();
    boolean large = first instanceof LargeListVector;
    int width = large ? 8 : 4;
    long offsetBytes = (long) (groups + 1) * width;
    for (FieldVector list : lists) {
      if ((list instanceof LargeListVector) != large || groups > 0
          && !sameBytes(list.getOffsetBuffer(), first.getOffsetBuffer(), offsetBytes)) {
        throw new UnsupportedDataException(list.getName(), "its lists do not line up with those of '"
            + first.getName() + "'; all list columns of a packed table share one set of offsets");
      }
    }
    try (NpzWriter writer = NpzWriter.create(path, options);
         FieldVector offsets = offsetsVector(first, groups, large)) {
      ObjectNode description = JSON.createObjectNode();
      description.put("format", "arrow-npz packed events");
      description.put("version", 1);
      var scalarNames = description.putArray("scalars");
      var listNames = description.putArray("lists");
      ObjectNode masks = JSON.createObjectNode();
      ObjectNode listMasks = JSON.createObjectNode();
      writer.add(NpzArchive.key(NpzArchive.PACKED_OFFSETS), offsets);
      long flat = groups == 0 ? 0
          : large ? first.getOffsetBuffer().getLong(8L * groups) : first.getOffsetBuffer().getInt(4L * groups);
      // Members follow the table's column order, which is the order a reader gives the columns back in.
      for (FieldVector v : table.getFieldVectors()) {
        if (!lists.contains(v)) {
          addWithMask(writer, v.getName(), v, masks);
          scalarNames.add(v.getName());
          continue;
        }
        FieldVector values = ListVectors.dataVector(v);
        if (values.getValueCount() != flat) {
          throw new UnsupportedDataException(v.getName(), "holds " + values.getValueCount()
              + " values but its offsets end at " + flat);
        }
        try {
          addWithMask(writer, v.getName(), values, masks);
        } catch (UnsupportedDataException e) {
          // Said of the list column, not of its elements' vector, whose type alone would puzzle the reader.
          throw new UnsupportedDataException(v.getName(), "its list elements: " + e.problem(), e.remedy());
        }
        if (v.getNullCount() > 0) {
          addMask(writer, v.getName() + LIST_MASK_SUFFIX, v, v.getName(), listMasks);
        }
        listNames.add(v.getName());
      }
      if (!masks.isEmpty()) {
        description.set("masks", masks);
      }
      if (!listMasks.isEmpty()) {
        description.set("list_masks", listMasks);
      }
      writer.addBytes(DESCRIPTION, JSON.writeValueAsBytes(description));
      writer.commit();
    }
  }

  /** Member-name suffixes of null masks: of a column's values, and of a list column's lists. */
  public static final String MASK_SUFFIX = ".__mask__";
  public static final String LIST_MASK_SUFFIX = ".__listmask__";

  /** Writes a column; one with nulls (but for NaT's) goes with a bool mask member, recorded in the description. */
  private static void addWithMask(NpzWriter writer, String name, FieldVector values, ObjectNode masks)
      throws IOException {
    if (!NullMasks.needsMask(values, name)) {
      writer.add(name, values);
      return;
    }
    try (FieldVector storable = NullMasks.storable(values, name, values.getAllocator())) {
      writer.add(name, storable);
    }
    addMask(writer, name + MASK_SUFFIX, values, name, masks);
  }

  private static void addMask(NpzWriter writer, String key, FieldVector of, String column, ObjectNode masks)
      throws IOException {
    try (FieldVector mask = NullMasks.maskOf(of, key, of.getAllocator())) {
      writer.add(key, mask);
    }
    masks.put(column, key);
  }

  private static boolean sameBytes(ArrowBuf a, ArrowBuf b, long length) {
    if (a.memoryAddress() == b.memoryAddress()) {
      return true;
    }
    for (long i = 0; i < length; i++) {
      if (a.getByte(i) != b.getByte(i)) {
        return false;
      }
    }
    return true;
  }

  /** The shared offsets as an int vector over the list's own offset buffer (no copy). */
  private static FieldVector offsetsVector(FieldVector list, int groups, boolean large) {
    BufferAllocator allocator = list.getAllocator();
    FieldVector offsets = large ? new BigIntVector("__offsets__", allocator) : new IntVector("__offsets__", allocator);
    ArrowBuf buffer = list.getOffsetBuffer();
    long bytes = (long) (groups + 1) * (large ? 8 : 4);
    if (buffer.capacity() < bytes) {
      // An empty list vector may have no offset buffer yet; its one offset is 0.
      buffer = allocator.buffer(bytes);
      buffer.setZero(0, bytes);
    } else {
      buffer.getReferenceManager().retain();
    }
    try {
      VectorLoading.load(offsets, groups + 1, 0, null, buffer);
    } finally {
      buffer.close();
    }
    return offsets;
  }
}
