package io.arrownpz.frame;

import io.arrownpz.internal.io.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.arrow.NpyBlockWriter;
import io.arrownpz.arrow.NpyOutput;
import io.arrownpz.arrow.NpyVectorWriter;
import io.arrownpz.arrow.NumpyArrowTypes;
import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.npz.NpzWriter;
import io.arrownpz.internal.io.SafeNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Writes a table as a StaticFrame frame (docs/FORMAT.md section 3), to an NPZ or a new NPY directory. A table
 * read from a frame is written back as that frame (names, classes, typed labels); any other table gets
 * an automatic index unless index fields are named, and column labels from its field names.
 */
public final class FrameWriter {

  private FrameWriter() {}

  public static void writeNpz(VectorSchemaRoot table, Path path, FrameWriteOptions options) throws IOException {
    try (Plan plan = Plan.of(table, options);
         NpzWriter writer = NpzWriter.create(path, new NpzWriteOptions(false, options.alignment()))) {
      for (Map.Entry<String, Object> member : plan.members.entrySet()) {
        String key = member.getKey().substring(0, member.getKey().length() - ".npy".length());
        if (member.getValue() instanceof NpyOutput npy) {
          writer.add(key, npy);
        } else {
          writer.addBytes(member.getKey(), (byte[]) member.getValue());
        }
      }
      writer.addBytes(FrameMeta.MEMBER, plan.meta.toBytes());
      writer.commit();
    }
  }

  /**
   * Writes an NPY directory: built under a temporary name beside the target, then renamed into place.
   * An existing NPY-directory frame there is replaced (moved aside, the new one renamed in, the old one
   * deleted; put back if the rename fails); anything else that exists there is refused.
   */
  public static void writeNpyDirectory(VectorSchemaRoot table, Path dir, FrameWriteOptions options) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    boolean replacing = Files.isDirectory(target) && Files.isRegularFile(target.resolve(FrameMeta.MEMBER));
    if (Files.exists(target) && !replacing) {
      throw new FileAlreadyExistsException(target.toString(), null, "exists and is not an NPY-directory frame; "
          + "not replaced");
    }
    Files.createDirectories(target.getParent());
    Path temporary = io.arrownpz.internal.io.AtomicFile.newWorkDirectory(target.getParent(), target.getFileName().toString());
    try (Plan plan = Plan.of(table, options)) {
      for (Map.Entry<String, Object> member : plan.members.entrySet()) {
        Path file = SafeNames.resolveInside(temporary, member.getKey());
        if (member.getValue() instanceof NpyOutput npy) {
          npy.writeNewFile(file); // the work directory is ours alone until it is renamed into place
        } else {
          writeNewFile(file, (byte[]) member.getValue());
        }
      }
      writeNewFile(temporary.resolve(FrameMeta.MEMBER), plan.meta.toBytes());
      if (replacing) {
        io.arrownpz.internal.io.AtomicFile.replaceDirectory(target, temporary);
      } else {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      Trees.delete(temporary);
      throw e;
    }
  }

  /**
   * A new file of {@code bytes}, in one system call: {@code Files.write} hands them over 8 KiB at a time (the
   * column labels of a 10,000-column frame, 240 KB: 30 writes).
   */
  private static void writeNewFile(Path file, byte[] bytes) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    }
  }

  /** What to write, member by member, and the vectors made on the way (closed with the plan). */
  private static final class Plan implements AutoCloseable {
    final Map<String, Object> members = new LinkedHashMap<>();
    final List<FieldVector> owned = new ArrayList<>();
    FrameMeta meta;
    /** The columns (every field but the index), in order, and each one's dtype once it is worked out. */
    private List<FieldVector> columns;
    private NpyDtype[] columnDtypes;

    static Plan of(VectorSchemaRoot table, FrameWriteOptions options) {
      Plan plan = new Plan();
      try {
        plan.build(table, options);
        return plan;
      } catch (RuntimeException e) {
        plan.close();
        throw e;
      }
    }

    private void build(VectorSchemaRoot table, FrameWriteOptions options) {
      RecordedFrame frame = RecordedFrame.of(table.getSchema());
      List<String> indexNames = new ArrayList<>();
      if (!options.indexFields().isEmpty()) {
        indexNames.addAll(options.indexFields());
      } else if (frame != null) {
        indexNames.addAll(frame.indexFields);
      }
      List<FieldVector> index = new ArrayList<>();
      for (String name : indexNames) {
        FieldVector v = table.getVector(name);
        if (v == null) {
          throw new UnsupportedDataException(name, "no such field to use as the index");
        }
        index.add(v);
      }
      columns = new ArrayList<>();
      for (FieldVector v : table.getFieldVectors()) {
        if (!index.contains(v)) {
          columns.add(convertNulls(requireOneDimensional(v), options));
        }
      }
      columnDtypes = new NpyDtype[columns.size()];
      List<NpyDtype> indexDtypes = new ArrayList<>();
      for (int i = 0; i < index.size(); i++) {
        NpyVectorWriter level = NpyVectorWriter.of(requireOneDimensional(index.get(i)));
        members.put(FrameMembers.index(i), level);
        indexDtypes.add(level.dtype());
      }
      boolean sameColumns = frame != null && sameNames(frame.columnNames, columns);
      int columnsDepth = sameColumns ? writeFrameLabels(frame) : writeFieldNameLabels();
      List<Integer> widths = sameColumns ? blockWidths(frame) : null;
      int blocks = writeBlocks(options.blocks(), widths);
      boolean sameIndex = frame != null && indexNames.equals(frame.indexFields);
      if (sameIndex && sameColumns && frame.meta != null) {
        FrameMeta original = FrameMeta.parse(frame.meta.getBytes(StandardCharsets.UTF_8));
        meta = original.withBlockCount(blocks);
      } else {
        meta = newMeta(indexDtypes, indexNames, blocks, columnsDepth);
      }
    }

    private static boolean sameNames(List<String> names, List<FieldVector> columns) {
      if (names == null || names.size() != columns.size()) {
        return false;
      }
      for (int i = 0; i < names.size(); i++) {
        if (!names.get(i).equals(columns.get(i).getName())) {
          return false;
        }
      }
      return true;
    }

    /** The column labels the frame was read with, byte for byte. */
    private int writeFrameLabels(RecordedFrame frame) {
      for (int i = 0; i < frame.columnLevelCount(); i++) {
        byte[] labels = frame.columnLevel(i);
        if (labels != null) {
          members.put(FrameMembers.columns(i), labels);
        }
      }
      return Math.max(1, frame.columnLevelCount());
    }

    /** One level of string labels: the field names. */
    private int writeFieldNameLabels() {
      if (columns.isEmpty()) {
        // No columns: an empty label array, which is just a header.
        members.put(FrameMembers.columns(0), NpyHeaderCodec.encode(NpyDtype.parse("<U1"), false, new long[] {0}));
        return 1;
      }
      VarCharVector labels = new VarCharVector("labels", columns.get(0).getAllocator());
      owned.add(labels);
      labels.allocateNew(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        labels.setSafe(i, columns.get(i).getName().getBytes(StandardCharsets.UTF_8));
      }
      labels.setValueCount(columns.size());
      members.put(FrameMembers.columns(0), NpyVectorWriter.of(labels));
      return 1;
    }

    /** The frame's own partition of columns into blocks, when it still fits these columns' dtypes. */
    private List<Integer> blockWidths(RecordedFrame frame) {
      List<Integer> widths = frame.blockWidths;
      int start = 0;
      for (int w : widths) {
        if (w < 1 || start + w > columns.size()) {
          return null;
        }
        NpyDtype first = columnDtype(start);
        for (int j = start + 1; j < start + w; j++) {
          if (!columnDtype(j).equals(first)) {
            return null;
          }
        }
        start += w;
      }
      return start == columns.size() ? widths : null;
    }

    /**
     * Groups adjacent columns of one dtype into blocks, or follows {@code widths} (the partition the
     * frame was read with) so that a frame written back has the same blocks.
     */
    private int writeBlocks(FrameWriteOptions.BlockLayout layout, List<Integer> widths) {
      int blocks = 0;
      int start = 0;
      while (start < columns.size()) {
        NpyDtype dtype = columnDtype(start);
        int end = start + 1;
        if (layout == FrameWriteOptions.BlockLayout.ONE_PER_COLUMN) {
          end = start + 1;
        } else if (widths != null) {
          end = start + widths.get(blocks);
        } else {
          while (end < columns.size() && columnDtype(end).equals(dtype)) {
            end++;
          }
        }
        List<FieldVector> group = columns.subList(start, end);
        NpyOutput out = group.size() == 1 ? NpyVectorWriter.of(group.get(0), dtype)
            : NpyBlockWriter.of(group, dtype, layout == FrameWriteOptions.BlockLayout.FORTRAN_2D);
        members.put(FrameMembers.block(blocks++), out);
        start = end;
      }
      return blocks;
    }

    /**
     * Column {@code i}'s dtype, worked out once: for strings it takes a scan of all the text. A fixed-width
     * column's dtype follows from its Arrow type and recorded descr alone, so a column that has the same
     * two as the one before it (the columns of one block, thousands in a wide frame) takes that one's.
     */
    private NpyDtype columnDtype(int i) {
      NpyDtype known = columnDtypes[i];
      if (known == null) {
        FieldVector v = columns.get(i);
        known = i > 0 && columnDtypes[i - 1] != null && sameFixedWidthKind(columns.get(i - 1), v)
            ? columnDtypes[i - 1] : dtypeOf(v);
        columnDtypes[i] = known;
      }
      return known;
    }

    private static boolean sameFixedWidthKind(FieldVector before, FieldVector v) {
      if (!(v instanceof BaseFixedWidthVector) || !(before instanceof BaseFixedWidthVector)) {
        return false;
      }
      Field a = before.getField();
      Field b = v.getField();
      return a.getType().equals(b.getType())
          && java.util.Objects.equals(NumpyMetadata.descrText(a), NumpyMetadata.descrText(b));
    }

    private static NpyDtype dtypeOf(FieldVector v) {
      return NumpyArrowTypes.dtypeFor(v, NumpyMetadata.descr(v.getField()), v.getName());
    }

    private static FieldVector requireOneDimensional(FieldVector v) {
      if (v instanceof ExtensionTypeVector<?> || v instanceof BaseRepeatedValueVector
          || v instanceof FixedSizeListVector && !isComplex(v)) {
        throw new UnsupportedDataException(v.getName(), "frames hold 1-d columns; " + v.getField().getType()
            + " has no place in one");
      }
      return v;
    }

    private static boolean isComplex(FieldVector v) {
      NpyDtype d = NumpyMetadata.descr(v.getField());
      return d != null && d.kind() == Kind.COMPLEX;
    }

    /** Ints and bools with nulls as float64 with NaN, when asked; otherwise left to fail clearly. */
    private FieldVector convertNulls(FieldVector v, FrameWriteOptions options) {
      Float8Vector f = options.nullsToFloat() ? io.arrownpz.internal.arrow.NullsToFloat.of(v) : null;
      if (f == null) {
        return v;
      }
      owned.add(f);
      return f;
    }

    private FrameMeta newMeta(List<NpyDtype> index, List<String> indexNames, int blocks, int columnsDepth) {
      JsonNodeFactory f = JsonNodeFactory.instance;
      JsonNode indexName;
      String indexType;
      List<String> levelTypes = null;
      if (index.size() <= 1) {
        String name = indexNames.isEmpty() ? null : indexNames.get(0);
        indexName = name == null || name.startsWith("__index_level_") ? f.nullNode() : f.textNode(name);
        indexType = index.isEmpty() ? "Index" : indexClass(index.get(0));
      } else {
        ArrayNode names = f.arrayNode();
        levelTypes = new ArrayList<>();
        for (int i = 0; i < index.size(); i++) {
          String name = indexNames.get(i);
          names.add(name.startsWith("__index_level_") ? f.nullNode() : f.textNode(name));
          levelTypes.add(indexClass(index.get(i)));
        }
        indexName = names;
        indexType = "IndexHierarchy";
      }
      return new FrameMeta(f.nullNode(), indexName, f.nullNode(), indexType, "Index", levelTypes, null, blocks,
          Math.max(1, index.size()), columnsDepth);
    }

    /** The StaticFrame index class whose dtype this is (docs/FORMAT.md section 3). */
    static String indexClass(NpyDtype dtype) {
      if (dtype.kind() != Kind.DATETIME || dtype.unitMultiplier() != 1) {
        return "Index";
      }
      return switch (dtype.unit()) {
        case YEAR -> "IndexYear";
        case MONTH -> "IndexYearMonth";
        case DAY -> "IndexDate";
        case HOUR -> "IndexHour";
        case MINUTE -> "IndexMinute";
        case SECOND -> "IndexSecond";
        case MILLISECOND -> "IndexMillisecond";
        case MICROSECOND -> "IndexMicrosecond";
        case NANOSECOND -> "IndexNanosecond";
        default -> "Index";
      };
    }

    @Override
    public void close() {
      owned.forEach(FieldVector::close);
    }
  }
}
