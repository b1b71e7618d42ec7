package io.arrownpz.flight.internal;

import io.arrownpz.cache.ReadCache;
import io.arrownpz.NumpyTables;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.DirectoryConverter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.FolderDataset;
import io.arrownpz.bridge.dataset.Nullability;
import io.arrownpz.bridge.dataset.PartitionColumns;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.DictionaryUtility;

/**
 * The datasets under the served directory: which names are datasets, which files make them, and what
 * each file holds. A file's description is read once and kept while the file's size and modification
 * time stay the same.
 */
public final class Catalog {
  /** How deep a listing looks below the served directory. */
  private static final int LIST_DEPTH = 16;

  private final DatasetNames names;
  private final BufferAllocator allocator;
  /**
   * The Hive-partitioned datasets last found, by name: a get of one of their files takes the file's key
   * values from here (as the description the client read gave them), not from a walk of the whole tree
   * per file, which made reading every file of a large dataset quadratic.
   */
  private final Map<String, Dataset> partitioned = new ConcurrentHashMap<>();
  /** Each dataset's schema as it was last described, by name ({@link #schemaOf}). */
  private final Map<String, Schema> described = new ConcurrentHashMap<>();

  private final ReadCache cache;

  /** @param cache the server's mappings kept between reads (it owns and closes them), or null for none */
  public Catalog(DatasetNames names, BufferAllocator allocator, ReadCache cache) {
    this.names = names;
    this.allocator = allocator;
    this.cache = cache;
  }

  /** The server's cache every read of a served file goes through, or null. */
  public ReadCache cache() {
    return cache;
  }

  public DatasetNames names() {
    return names;
  }

  /** The dataset of that name: a file, an NPY-directory frame, or a folder of files with one schema. */
  public Dataset find(String name) {
    Path path;
    try {
      path = names.existing(name);
    } catch (org.apache.arrow.flight.FlightRuntimeException notFound) {
      Dataset member = memberTable(name);
      if (member != null) {
        return member;
      }
      throw notFound;
    }
    String canonical = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    FileFormat format = FolderDataset.formatOf(path);
    if (format == FileFormat.NPZ) {
      List<String> tables = DirectoryConverter.tablesOf(path);
      if (!tables.isEmpty()) {
        throw CallStatus.INVALID_ARGUMENT.withDescription(canonical + ": its arrays differ in length, so it is a "
            + "set of tables, each a dataset of its own: " + canonical + "/" + String.join(", " + canonical + "/",
            tables)).toRuntimeException();
      }
    }
    if (format != null) {
      return new Dataset(canonical, List.of(new Dataset.Part(canonical, path, format)));
    }
    if (!Files.isDirectory(path)) {
      throw CallStatus.NOT_FOUND.withDescription(name + ": not a file this service reads (NPY, NPZ, NPY "
          + "directory, Feather, .arrows, Parquet)").toRuntimeException();
    }
    FolderDataset folder = FolderDataset.find(path, this::children, FolderDataset::formatOf);
    if (folder == null) {
      partitioned.remove(canonical);
      throw CallStatus.NOT_FOUND.withDescription(name + ": a folder without data files").toRuntimeException();
    }
    List<Dataset.Part> parts = new ArrayList<>();
    for (FolderDataset.File file : folder.files()) {
      parts.add(new Dataset.Part(names.nameOf(file.path()), file.path(), file.format(), file.columns()));
    }
    Dataset dataset = new Dataset(canonical, parts);
    if (folder.isPartitioned()) {
      partitioned.put(canonical, dataset);
    } else {
      partitioned.remove(canonical); // a plain folder now, if it was partitioned when last found
    }
    return dataset;
  }

  /**
   * The dataset {@code ARCHIVE/TABLE}: one table of an NPZ whose arrays differ in length; null when the name
   * is not one. A member's key may hold slashes itself, so each split of the name is tried.
   */
  private Dataset memberTable(String name) {
    for (int slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
      String archive = name.substring(0, slash);
      String member = name.substring(slash + 1);
      Path path;
      try {
        path = names.existing(archive);
      } catch (org.apache.arrow.flight.FlightRuntimeException e) {
        continue;
      }
      if (FolderDataset.formatOf(path) == FileFormat.NPZ && DirectoryConverter.tablesOf(path).contains(member)) {
        return new Dataset(name, List.of(new Dataset.Part(name, path, FileFormat.NPZ, PartitionColumns.NONE, member)));
      }
      return null;
    }
    return null;
  }

  /**
   * The file {@code file} of the folder dataset {@code dataset}, read as its part: a Hive-partitioned
   * dataset's as the dataset was last found (found again if it was not, or the file is not among its parts
   * then); the file's name is checked again, so that a link put in its way since leads nowhere outside the
   * served directory.
   */
  public Dataset.Part partOf(String dataset, String file) {
    Dataset.Part part = partOf(partitioned.get(dataset), file);
    if (part == null) {
      part = partOf(find(dataset), file);
    }
    if (part == null) {
      throw CallStatus.NOT_FOUND.withDescription(file + ": not a part of " + dataset).toRuntimeException();
    }
    names.existing(file);
    return part;
  }

  /** The dataset of that name, as last found where it is Hive-partitioned (no walk of its tree), else found now. */
  public Dataset lastFound(String name) {
    Dataset dataset = partitioned.get(name);
    return dataset != null ? dataset : find(name);
  }

  private static Dataset.Part partOf(Dataset dataset, String file) {
    if (dataset != null && dataset.isFolder()) {
      for (Dataset.Part part : dataset.parts()) {
        if (part.name().equals(file)) {
          return part;
        }
      }
    }
    return null;
  }

  /**
   * A part's batches: with the columns its folders' names give it where the dataset is partitioned, and
   * every column declared nullable when {@code nullable} says so.
   */
  public ArrowReader openPart(Dataset.Part part, boolean nullable, BufferAllocator allocator, int batchRows)
      throws IOException {
    ArrowReader file = part.columns().appendedTo(new Converter(allocator).openReader(part.path(),
        part.format(), part.readOptions(cache), batchRows), allocator);
    return nullable ? Nullability.allNullable(file, allocator) : file;
  }

  /**
   * Whether a part read as a part of {@code dataset} has its columns declared nullable: always for a plain
   * folder's, and for a Hive-partitioned dataset's where the dataset as this service describes it has no
   * column declared without nulls.
   */
  public boolean nullableAsPart(String dataset, Dataset.Part part) {
    return part.columns().isEmpty()
        || !Nullability.hasRequired(schemaOf(dataset).getFields());
  }

  /** Every dataset whose name matches the glob ({@code null} or empty: all), in name order. */
  public List<Dataset> list(String glob) throws IOException {
    java.util.function.Predicate<String> matcher = glob == null || glob.isEmpty() ? null : Globs.matcher(glob);
    List<Dataset> found = new ArrayList<>();
    List<Path> all;
    try (Stream<Path> walk = Files.walk(names.root(), LIST_DEPTH)) {
      all = walk.sorted().toList();
    }
    java.util.Set<Path> frames = new HashSet<>();
    for (Path path : all) {
      if (path.equals(names.root()) || isHidden(path) || insideAny(path, frames) || !names.isInside(path)) {
        continue;
      }
      FileFormat format = FolderDataset.formatOf(path);
      String name = names.nameOf(path);
      if (matcher != null && !matcher.test(name)) {
        if (format == FileFormat.NPY_DIR) {
          frames.add(path);
        }
        continue;
      }
      List<String> tables = format == FileFormat.NPZ ? DirectoryConverter.tablesOf(path) : List.of();
      if (format == FileFormat.NPY_DIR) {
        frames.add(path);
        found.add(new Dataset(name, List.of(new Dataset.Part(name, path, format))));
      } else if (!tables.isEmpty()) {
        // Arrays of different lengths: a dataset per table, ARCHIVE/MEMBER.
        for (String table : tables) {
          String member = name + "/" + table;
          if (matcher == null || matcher.test(member) || matcher.test(name)) {
            found.add(new Dataset(member,
                List.of(new Dataset.Part(member, path, format, PartitionColumns.NONE, table))));
          }
        }
      } else if (format != null) {
        found.add(new Dataset(name, List.of(new Dataset.Part(name, path, format))));
      } else if (Files.isDirectory(path)) {
        try {
          Dataset folder = find(name);
          describe(folder); // a folder whose files disagree is not a dataset
          found.add(folder);
        } catch (RuntimeException notADataset) {
          // an empty folder, or partitions with different schemas: only its files are listed
        }
      }
    }
    return found;
  }

  /**
   * The schema, rows and bytes of a dataset. A folder's partitions must share one schema, but for whether a
   * column is declared nullable: where they differ in that, every column is declared nullable.
   */
  public Description describe(Dataset dataset) {
    return describeWithParts(dataset).whole();
  }

  /** A dataset's description, and each of its parts' own, in the order of its parts. */
  public record Described(Description whole, List<Description> parts) {
    /** Whether part {@code i}'s columns differ from the dataset's (keys of its folders, or nullability). */
    public boolean differs(int i) {
      return !parts.get(i).schema().getFields().equals(whole.schema().getFields());
    }
  }

  /** As {@link #describe(Dataset)}, with each part's own description; the schema is kept for {@link #schemaOf}. */
  public Described describeWithParts(Dataset dataset) {
    Schema schema = null;
    String first = null;
    long records = 0;
    long bytes = 0;
    List<Description> parts = new ArrayList<>();
    for (Dataset.Part part : dataset.parts()) {
      Description d = describe(part);
      parts.add(d);
      if (schema == null) {
        schema = d.schema();
        first = part.name();
      } else {
        schema = Nullability.merged(schema, d.schema());
        if (schema == null) {
          throw CallStatus.INVALID_ARGUMENT.withDescription(dataset.name() + ": partitions differ in schema ("
              + first + " and " + part.name() + ")").toRuntimeException();
        }
      }
      records += d.records();
      bytes += d.bytes();
    }
    if (schema != null) {
      described.put(dataset.name(), schema);
    }
    return new Described(new Description(schema, records, bytes), parts);
  }

  /**
   * The dataset's schema as it was last described, or described now: a get of one of a folder's thousand
   * files asks it, and describing the folder again would look at every file's state each time.
   */
  public Schema schemaOf(String dataset) {
    Schema schema = described.get(dataset);
    return schema != null ? schema : describe(lastFound(dataset)).schema();
  }

  /** What one file holds, with the columns its place in a partitioned dataset adds. */
  public Description describe(Dataset.Part part) {
    Description file = describeFile(part);
    if (part.columns().isEmpty()) {
      return file;
    }
    return new Description(part.columns().missingFrom(file.schema()).appendedTo(file.schema()), file.records(),
        file.bytes());
  }

  /**
   * What one file holds, read from it now: a description kept across calls could only be checked by the
   * file's size and times, which an in-place rewrite (or one with its time put back) leaves as they were,
   * and a client plans its get from what it is told here.
   */
  private Description describeFile(Dataset.Part part) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(part.path(), BasicFileAttributes.class);
      long size = attributes.isDirectory() ? Trees.size(part.path()) : attributes.size();
      return read(part, size);
    } catch (IOException | RuntimeException e) {
      if (e instanceof org.apache.arrow.flight.FlightRuntimeException flight) {
        throw flight;
      }
      throw CallStatus.INTERNAL.withDescription(part.name() + ": cannot be read: " + Calls.oneLine(e))
          .withCause(e).toRuntimeException();
    }
  }

  private Description read(Dataset.Part part, long size) throws IOException {
    Converter converter = new Converter(allocator);
    if (!part.format().isBatched()) {
      // NumPy files map, and a frame's C-order blocks are not transposed: this costs headers, not data.
      NumpyTables.Outline outline = converter.outline(part.path(), part.format(), part.readOptions(cache));
      return new Description(outline.schema(), outline.rows(), size);
    }
    try (ArrowReader reader = converter.openReader(part.path(), part.format())) {
      Schema memory = reader.getVectorSchemaRoot().getSchema();
      long rows = 0;
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      return new Description(messageSchema(memory, reader), rows, size);
    }
  }

  /** The schema as IPC and Flight announce it: dictionary-encoded fields carry their values' type. */
  public static Schema messageSchema(Schema schema, DictionaryProvider dictionaries) {
    List<Field> fields = new ArrayList<>();
    for (Field field : schema.getFields()) {
      fields.add(DictionaryUtility.toMessageFormat(field, dictionaries, new HashSet<>()));
    }
    return new Schema(fields, schema.getCustomMetadata());
  }

  private static boolean isHidden(Path path) {
    return path.getFileName().toString().startsWith("."); // our own partial files among them
  }

  private static boolean insideAny(Path path, java.util.Set<Path> frames) {
    for (Path frame : frames) {
      if (path.startsWith(frame)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A folder's entries that may be parts of it ({@link FolderDataset#entries}), without links leading out of
   * the served directory.
   */
  private List<Path> children(Path dir) {
    try {
      return FolderDataset.entries(dir).stream().filter(names::isInside).toList();
    } catch (java.io.UncheckedIOException e) {
      throw CallStatus.NOT_FOUND.withDescription(dir.getFileName() + ": cannot be listed: "
          + e.getCause().getMessage()).toRuntimeException();
    }
  }
}
