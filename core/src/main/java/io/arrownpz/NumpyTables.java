package io.arrownpz;

import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.arrow.NpyVectorWriter;
import io.arrownpz.internal.arrow.FrameWindows;
import io.arrownpz.internal.arrow.ListVectors;
import io.arrownpz.internal.arrow.NullsToFloat;
import io.arrownpz.internal.arrow.NumpyTargets;
import io.arrownpz.internal.arrow.TableWindows;
import io.arrownpz.internal.arrow.WindowReader;
import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import io.arrownpz.frame.FrameSummary;
import io.arrownpz.frame.FrameWriter;
import io.arrownpz.frame.NpyDirectorySource;
import io.arrownpz.frame.NpzFrameSource;
import io.arrownpz.input.InputFile;
import io.arrownpz.internal.io.Trees;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.npz.PackedNpz;
import io.arrownpz.npz.PlainNpz;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The front door to NumPy files as Arrow tables: read any {@code .npy}, NPZ (plain columns, packed events,
 * StaticFrame frame) or NPY directory into a {@link VectorSchemaRoot}, write one back in any of them, and
 * describe a file from its headers alone.
 *
 * <p>Threads: the methods are safe to call from many threads at once; a table they return may be read by
 * many threads, and closing it while another still reads is a caller bug that gets an exception, old
 * values or zeros, never a crash of the JVM (see the README's "Threads").
 *
 * <p>Reading maps what it can: the vectors of a STORED member or an {@code .npy} point into the file, and
 * the mapping lives until the last of them is closed. The caller closes the table; the allocator must
 * outlive it. Writing goes through a temporary file renamed into place, so a failed write leaves nothing.
 *
 * <pre>{@code
 * try (BufferAllocator allocator = new RootAllocator();
 *      VectorSchemaRoot table = NumpyTables.read(Path.of("frame.npz"), allocator)) {
 *   NumpyTables.write(table, Path.of("copy.npz"));
 * }
 * }</pre>
 */
public final class NumpyTables {
  private NumpyTables() {}

  /** Reads a file as a table, its format told from the file. The caller closes the table. */
  public static VectorSchemaRoot read(Path path, BufferAllocator allocator) throws IOException {
    return read(path, allocator, ReadOptions.DEFAULTS);
  }

  /**
   * Reads a file as a table. An {@code .npy} is one column named after the file's stem (rank 2 and more a
   * tensor column); a plain NPZ a column per member (with {@code NAME.__mask__} members as nulls); a packed
   * NPZ list columns; a frame (NPZ or NPY directory) its index fields, then its columns.
   */
  public static VectorSchemaRoot read(Path path, BufferAllocator allocator, ReadOptions options) throws IOException {
    NumpyFormat format = formatOf(path, options.format());
    return namingRefusals(path, () -> readAs(format, path, allocator, options));
  }

  /** A read whose refusals of valid contents become refusals of the file, naming it. */
  private interface Read {
    VectorSchemaRoot run() throws IOException;
  }

  private static VectorSchemaRoot namingRefusals(Path path, Read read) throws IOException {
    return namingRefusals(path.toString(), read);
  }

  private static VectorSchemaRoot namingRefusals(String file, Read read) throws IOException {
    try {
      return read.run();
    } catch (UnsupportedDataException e) {
      // A valid file holding what Arrow cannot (a tensor past a fixed-size list's 2^31 elements).
      UnsupportedFileException refusal = new UnsupportedFileException(file, e.getMessage(), e);
      refusal.withRemedy(e.remedy());
      throw refusal;
    }
  }

  /**
   * Opens a file as batches of at most {@code batchRows} rows, in order, for streaming it somewhere (a
   * Flight service, a conversion). A frame whose members are all STORED is read window by window, so its
   * C-order blocks are transposed one batch at a time, in memory the size of a batch; anything else is
   * read as by {@link #read} (views of the file where it can) and handed out in slices. The schema is the
   * one {@link #read} gives. The caller closes the reader; the allocator must outlive it.
   */
  public static ArrowReader openReader(Path path, BufferAllocator allocator, ReadOptions options, int batchRows)
      throws IOException {
    NumpyFormat format = formatOf(path, options.format());
    FrameSource frame = null;
    if (format == NumpyFormat.NPY_DIR && options.member() == null) {
      frame = new NpyDirectorySource(path, options);
    } else if (format == NumpyFormat.NPZ) {
      return openReader(NpzArchive.open(path, options), allocator, options,
          batchRows);
    }
    if (frame == null) {
      return tableReader(read(path, allocator, options), batchRows, allocator);
    }
    return frameReader(frame, allocator, options, batchRows);
  }

  /**
   * As {@link #openReader(Path, BufferAllocator, ReadOptions, int)}, for an {@code .npy} or NPZ on any file
   * system: a local file is mapped, any other read in the byte ranges the read needs (its header, the
   * archive's directory, the members asked for). The reader closes {@code file} (so does a failed open).
   */
  public static ArrowReader openReader(InputFile file, BufferAllocator allocator, ReadOptions options, int batchRows)
      throws IOException {
    try {
      if (formatOf(file, options.format()) == NumpyFormat.NPY) {
        VectorSchemaRoot table;
        try (InputFile npy = file; NpyArray array = NpyFile.open(npy)) {
          table = VectorSchemaRoot.of(new NpyVectorReader(allocator, options.arrays()).read(array, columnName(npy)));
        }
        return tableReader(table, batchRows, allocator);
      }
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
    return openReader(NpzArchive.open(file, options.maxInflatedBytes()), allocator, options, batchRows);
  }

  /**
   * As {@link #openReader(Path, BufferAllocator, ReadOptions, int)}, of an archive already open (a caller
   * that looked into it first opens the file once). The reader closes the archive (so does a failed open).
   */
  public static ArrowReader openReader(NpzArchive npz, BufferAllocator allocator, ReadOptions options, int batchRows)
      throws IOException {
    return openReader(npz, allocator, options, batchRows, true);
  }

  /**
   * @param wholeTable whether the reader will be read to its end: then, on a file elsewhere, every member is
   *     fetched up front in as few reads as their gaps allow; else (an outline, its first row) their heads
   */
  private static ArrowReader openReader(NpzArchive npz, BufferAllocator allocator, ReadOptions options, int batchRows,
      boolean wholeTable) throws IOException {
    FrameSource frame = null;
    try {
      if (options.member() == null) {
        if (wholeTable) {
          npz.zip().willRead(npz.entries());
        } else {
          npz.zip().willReadHeads(npz.entries()); // an outline reads each member's header and first row
        }
      }
      // A deflated member would be inflated again for every window: such a frame is read whole.
      if (options.member() == null && npz.layout() == NpzLayout.FRAME && npz.zip().allStored()) {
        frame = NpzFrameSource.owning(npz);
      } else {
        return tableReader(namingRefusals(npz.name(), () -> readNpz(npz, allocator, options)), batchRows, allocator);
      }
    } finally {
      if (frame == null) {
        npz.close();
      }
    }
    return frameReader(frame, allocator, options, batchRows);
  }

  private static ArrowReader frameReader(FrameSource frame, BufferAllocator allocator, ReadOptions options,
      int batchRows) throws IOException {
    try {
      return new WindowReader(new FrameWindows(frame, new FrameReader(allocator, options.arrays())), batchRows,
          allocator);
    } catch (IOException | RuntimeException e) {
      frame.close();
      throw e;
    }
  }

  private static ArrowReader tableReader(VectorSchemaRoot table, int batchRows, BufferAllocator allocator) {
    return new WindowReader(new TableWindows(table), batchRows, allocator);
  }

  private static VectorSchemaRoot readAs(NumpyFormat format, Path path, BufferAllocator allocator,
      ReadOptions options) throws IOException {
    switch (format) {
      case NPY -> {
        try (NpyArray array = NpyFile.open(path, options)) {
          return VectorSchemaRoot.of(new NpyVectorReader(allocator, options.arrays()).read(array, columnName(path)));
        }
      }
      case NPY_DIR -> {
        try (NpyDirectorySource source = new NpyDirectorySource(path, options)) {
          return new FrameReader(allocator, options.arrays()).read(source);
        }
      }
      default -> {
        try (NpzArchive npz = NpzArchive.open(path, options)) {
          return readNpz(npz, allocator, options);
        }
      }
    }
  }

  /** An open archive as a table: one member, or the whole archive in its layout. */
  private static VectorSchemaRoot readNpz(NpzArchive npz, BufferAllocator allocator, ReadOptions options)
      throws IOException {
    if (options.member() != null) {
      return PlainNpz.readMember(npz, options.member(), allocator, options.arrays());
    }
    return switch (npz.layout()) {
      case PLAIN -> PlainNpz.read(npz, allocator, options.arrays());
      case PACKED -> PackedNpz.read(npz, allocator, options.arrays());
      case FRAME -> new FrameReader(allocator, options.arrays()).read(new NpzFrameSource(npz));
    };
  }

  /**
   * The tables of an NPZ whose arrays differ in length ({@code np.savez('m.npz', weights=..., bias=...)}):
   * one per member, by key, null masks aside; read from the headers alone. Empty for a file that is one
   * table (any other NumPy file, an archive of arrays of one length, a frame, a packed table).
   */
  public static List<String> tables(Path path) throws IOException {
    if (formatOf(path, null) != NumpyFormat.NPZ) {
      return List.of();
    }
    try (NpzArchive npz = NpzArchive.open(path)) {
      return PlainNpz.tables(npz);
    }
  }

  /**
   * Every member of an NPZ as a table of its own, by key, in archive order (a {@code NAME.__mask__} member
   * is {@code NAME}'s nulls, not a table): what an archive of arrays of different lengths holds. The
   * caller closes each table.
   */
  public static Map<String, VectorSchemaRoot> readEach(Path path, BufferAllocator allocator, ReadOptions options)
      throws IOException {
    Map<String, VectorSchemaRoot> tables = new LinkedHashMap<>();
    try (NpzArchive npz = NpzArchive.open(path, options)) {
      java.util.Set<String> keys = new java.util.HashSet<>();
      npz.entries().forEach(e -> keys.add(NpzArchive.key(e.name())));
      for (ZipEntry entry : npz.entries()) {
        String key = NpzArchive.key(entry.name());
        boolean mask = key.endsWith(PackedNpz.MASK_SUFFIX)
            && keys.contains(key.substring(0, key.length() - PackedNpz.MASK_SUFFIX.length()));
        if (entry.name().endsWith(NpzArchive.NPY_SUFFIX) && !mask) {
          tables.put(key, PlainNpz.readMember(npz, entry.name(), allocator, options.arrays()));
        }
      }
      return tables;
    } catch (IOException | RuntimeException e) {
      tables.values().forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  /** Writes a table in the format the path's name asks for ({@code .npy}, {@code .npz}). */
  public static void write(VectorSchemaRoot table, Path path) throws IOException {
    write(table, path, WriteOptions.DEFAULTS);
  }

  /**
   * Writes a table. To NPZ, a table that came from a frame writes that frame, one with list columns the
   * packed layout, any other the plain one, unless {@link WriteOptions#layout} says which.
   *
   * @throws UnsupportedDataException a column NumPy cannot hold (or not exactly, unless
   *     {@link WriteOptions#nearestDtype}); its {@link UnsupportedDataException#remedy()} names the way out
   */
  public static void write(VectorSchemaRoot table, Path path, WriteOptions options) throws IOException {
    NumpyFormat format = options.format() != null ? options.format() : NumpyFormat.byName(path);
    if (format == null) {
      throw new IllegalArgumentException(path + ": the name does not say which NumPy format to write "
          + "(.npy or .npz); set WriteOptions.format (NPY_DIR for an NPY directory)");
    }
    // An .npy holds one column: only that one must fit (a table's other columns may be of any type).
    NumpyTargets.check(format == NumpyFormat.NPY
        ? new Schema(List.of(column(table, options.column()).getField())) : table.getSchema(), options.nearestDtype());
    if (options.nullsToFloat() && format != NumpyFormat.NPY_DIR) {
      try (NullsAsFloat converted = NullsAsFloat.of(table)) {
        writeAs(converted.table(), path, format, options);
      }
      return;
    }
    writeAs(table, path, format, options);
  }

  private static void writeAs(VectorSchemaRoot table, Path path, NumpyFormat format, WriteOptions options)
      throws IOException {
    var frame = options.frame().withNullsToFloat(options.nullsToFloat() || options.frame().nullsToFloat());
    switch (format) {
      case NPY -> NpyVectorWriter.of(column(table, options.column())).writeTo(path);
      case NPY_DIR -> FrameWriter.writeNpyDirectory(table, path, frame);
      case NPZ -> {
        switch (options.layout() != null ? options.layout() : layoutOf(table)) {
          case FRAME -> FrameWriter.writeNpz(table, path, frame.withAlignment(options.npz().alignment()));
          case PACKED -> PackedNpz.write(table, path, options.npz());
          case PLAIN -> PlainNpz.write(table, path, options.npz());
        }
      }
    }
  }

  /** The NPZ layout a table calls for: its own frame, packed when it has list columns, plain otherwise. */
  public static NpzLayout layoutOf(VectorSchemaRoot table) {
    var metadata = table.getSchema().getCustomMetadata();
    if (metadata != null && metadata.containsKey(FrameReader.SCHEMA_KEY)) {
      return NpzLayout.FRAME;
    }
    boolean lists = table.getFieldVectors().stream().anyMatch(ListVectors::isListColumn);
    return lists ? NpzLayout.PACKED : NpzLayout.PLAIN;
  }

  /** A table's schema, with all its metadata, and its row count. */
  public record Outline(Schema schema, long rows) {}

  /**
   * A NumPy file's schema (with all its metadata, exactly as {@link #read} gives it) and row count, reading
   * as little as the layout allows: an {@code .npy}'s or a plain NPZ's headers only; a frame's headers,
   * labels and first row, so that a C-order block is not transposed whole (a service describing a 1 GiB
   * StaticFrame frame needs neither the time nor the memory for that); a packed table is mapped, its values
   * untouched.
   */
  public static Outline outline(Path path, BufferAllocator allocator, ReadOptions options) throws IOException {
    NumpyFormat format = formatOf(path, options.format());
    if (format == NumpyFormat.NPY && options.member() == null) {
      try (InputFile file = InputFile.open(path)) {
        return HeaderOutlines.npy(file, allocator, options);
      }
    }
    if (format == NumpyFormat.NPZ && options.member() == null) {
      return npzOutline(NpzArchive.open(path, options), allocator, options);
    }
    return outline(openReader(path, allocator, options, 1));
  }

  /**
   * As {@link #outline(Path, BufferAllocator, ReadOptions)}, for an {@code .npy} or NPZ on any file system,
   * reading only the byte ranges it needs. Closes {@code file}.
   */
  public static Outline outline(InputFile file, BufferAllocator allocator, ReadOptions options) throws IOException {
    try {
      if (formatOf(file, options.format()) == NumpyFormat.NPY && options.member() == null) {
        try (InputFile npy = file) {
          return HeaderOutlines.npy(npy, allocator, options);
        }
      }
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
    if (options.member() != null) {
      return outline(openReader(file, allocator, options, 1));
    }
    return npzOutline(NpzArchive.open(file, options.maxInflatedBytes()), allocator, options);
  }

  /** An open archive's outline: a plain one's from its headers, any other's from its first row. Closes it. */
  private static Outline npzOutline(NpzArchive npz, BufferAllocator allocator, ReadOptions options)
      throws IOException {
    Outline headers = HeaderOutlines.plain(npz, allocator, options);
    if (headers != null) {
      npz.close();
      return headers;
    }
    return outline(openReader(npz, allocator, options, 1, false));
  }

  private static Outline outline(ArrowReader opened) throws IOException {
    try (WindowReader reader = (WindowReader) opened) {
      return new Outline(reader.schema(), reader.rows());
    }
  }

  /**
   * What a file holds, from its headers alone: nothing is mapped, and a compressed member is inflated only
   * as far as its header.
   */
  public static FileInfo describe(Path path) throws IOException {
    NumpyFormat format = formatOf(path, null);
    String file = path.toString();
    switch (format) {
      case NPY -> {
        return NpyInfo.of(file, NpyFile.readHeader(path), columnName(path), Files.size(path));
      }
      case NPY_DIR -> {
        if (!Files.isRegularFile(path.resolve("__meta__.json"))) {
          throw new BadFileException(path, null, "a directory, but not an NPY-directory frame (it has no "
              + "__meta__.json)");
        }
        try (BufferAllocator allocator = new RootAllocator(1 << 24);
             NpyDirectorySource source = new NpyDirectorySource(path)) {
          return new NpyDirectoryInfo(file, format.formatName(), NpzLayout.FRAME.label(), Trees.size(path),
              FrameSummary.describe(source, allocator));
        }
      }
      default -> {
        // Frame metadata is a small member read whole; a limit keeps a hostile one from taking more.
        try (BufferAllocator allocator = new RootAllocator(1 << 24); NpzArchive npz = NpzArchive.open(path)) {
          NpzLayout layout = npz.layout();
          FrameInfo frame = layout == NpzLayout.FRAME ? FrameSummary.describe(new NpzFrameSource(npz), allocator) : null;
          List<MemberInfo> members = new ArrayList<>();
          LinkedHashMap<String, Long> rows = new LinkedHashMap<>();
          for (ZipEntry entry : npz.entries()) {
            if (!entry.name().endsWith(NpzArchive.NPY_SUFFIX)) {
              members.add(MemberInfo.notAnArray(entry));
              rows = null; // not a plain archive of arrays, so no set of tables
              continue;
            }
            NpyHeader header = npz.header(entry);
            if (rows != null) {
              rows.put(NpzArchive.key(entry.name()), PlainNpz.rows(header));
            }
            Long offset = entry.isStored() ? npz.zip().dataOffset(entry) + header.dataOffset() : null;
            members.add(MemberInfo.array(entry, header, NpzArchive.key(entry.name()), offset));
          }
          List<String> tables = layout == NpzLayout.PLAIN && rows != null ? PlainNpz.tables(rows) : List.of();
          return new NpzInfo(file, format.formatName(), layout.label(), Files.size(path), frame, members, tables);
        }
      }
    }
  }

  /** The column name an {@code .npy} file's array gets: the file name without its extension. */
  public static String columnName(Path path) {
    return stem(path.getFileName().toString());
  }

  /** As {@link #columnName(Path)}, for a file named by a path or URI. */
  public static String columnName(InputFile file) {
    String name = file.name();
    return stem(name.substring(name.lastIndexOf('/') + 1));
  }

  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static NumpyFormat formatOf(Path path, NumpyFormat stated) throws IOException {
    if (!Files.exists(path)) {
      throw new BadFileException(path, null, "no such file");
    }
    NumpyFormat format = stated != null ? stated : NumpyFormat.of(path);
    if (format == null) {
      throw new BadFileException(path, null, "not an NPY file, an NPZ archive or an NPY directory");
    }
    return format;
  }

  /** The format of an open file: the one stated, else told by its first bytes, else by its name. */
  private static NumpyFormat formatOf(InputFile file, NumpyFormat stated) throws IOException {
    if (stated != null) {
      return stated;
    }
    java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(6);
    int n = file.read(head, 0);
    NumpyFormat format = NumpyFormat.ofFirstBytes(head.flip());
    if (format == null) {
      String lower = file.name().toLowerCase(java.util.Locale.ROOT);
      format = lower.endsWith(".npy") ? NumpyFormat.NPY : lower.endsWith(".npz") ? NumpyFormat.NPZ : null;
    }
    if (format == null || format == NumpyFormat.NPY_DIR) {
      throw new BadFileException(file.name(), null, n == 0 ? "empty file, not an NPY file or an NPZ archive"
          : "not an NPY file or an NPZ archive");
    }
    return format;
  }

  /** The column to write as an {@code .npy}: the one named, or the table's only one. */
  private static FieldVector column(VectorSchemaRoot table, String name) {
    List<FieldVector> vectors = table.getFieldVectors();
    if (name != null) {
      FieldVector v = table.getVector(name);
      if (v == null) {
        throw new UnsupportedDataException(name, "no such column; the table has "
            + vectors.stream().map(FieldVector::getName).toList());
      }
      return v;
    }
    if (vectors.size() != 1) {
      throw new UnsupportedDataException(String.join(", ", vectors.stream().map(FieldVector::getName).toList()),
          "an .npy holds one array, and the table has " + vectors.size() + " columns; choose one",
          Remedy.CHOOSE_COLUMN);
    }
    return vectors.get(0);
  }

  /** A table whose int and bool columns with nulls are float64 copies with NaN; the others shared. */
  private record NullsAsFloat(VectorSchemaRoot table, List<FieldVector> owned) implements AutoCloseable {
    static NullsAsFloat of(VectorSchemaRoot table) {
      List<FieldVector> columns = new ArrayList<>();
      List<FieldVector> owned = new ArrayList<>();
      for (FieldVector v : table.getFieldVectors()) {
        FieldVector f = NullsToFloat.of(v);
        if (f != null) {
          owned.add(f);
        }
        columns.add(f != null ? f : v);
      }
      Schema schema = new Schema(columns.stream().map(FieldVector::getField).toList(),
          table.getSchema().getCustomMetadata());
      return new NullsAsFloat(new VectorSchemaRoot(schema, columns, table.getRowCount()), owned);
    }

    @Override
    public void close() {
      owned.forEach(FieldVector::close);
    }
  }
}
