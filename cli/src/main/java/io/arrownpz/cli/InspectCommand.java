package io.arrownpz.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NumpyArrowTypes;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.bridge.ipc.MappedFeatherReader;
import io.arrownpz.frame.FrameSummary;
import io.arrownpz.frame.NpyDirectorySource;
import io.arrownpz.frame.NpzFrameSource;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Show what a file holds: for .npy, .npz and NPY directories the dtypes, shapes and the Arrow "
        + "types they map to (for archives each member's compression and offset and the layout; for frames the "
        + "shape, index, columns and blocks); for Feather, .arrows and Parquet the fields, rows, batches and "
        + "schema metadata.",
    footer = {"", "Examples:", "  arrow-npz inspect prices.npy", "  arrow-npz inspect prices.npy --json",
        "  arrow-npz inspect frame.npz",
        "  arrow-npz inspect table.parquet --json",
        "  arrow-npz inspect upload.npz --quiet && echo readable"})
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "An .npy, .npz, .feather/.arrow, .arrows or .parquet file, or an NPY directory.")
  Path file;

  @Option(names = "--from", paramLabel = "FORMAT", description = "The file's format (npy, npz, npy-dir, feather, "
      + "arrows, parquet). Default: what the file's first bytes show, else its extension.")
  String from;

  @Option(names = "--json", description = "Print one JSON object; its keys are listed in the README.")
  boolean json;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing: only the exit code says whether the file "
      + "could be read (0) or not (1).")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    FileFormat format = Formats.format(spec, from, file, "IN");
    Map<String, Object> info = switch (format) {
      case NPZ -> npz();
      case NPY_DIR -> npyDirectory();
      case FEATHER, IPC_STREAM, PARQUET -> arrowFile(format);
      default -> npy();
    };
    PrintWriter out = spec.commandLine().getOut();
    if (quiet) {
      return 0;
    }
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(info));
      return 0;
    }
    if (format == FileFormat.NPZ) {
      printNpz(out, info);
    } else if (format.isBatched()) {
      printArrowFile(out, info);
    } else if (format == FileFormat.NPY_DIR) {
      out.printf("file          %s%n", info.get("file"));
      out.printf("format        NPY directory%n");
    } else {
      printNpy(out, info);
    }
    if (info.containsKey("frame")) {
      printFrame(out, info.get("frame"));
    }
    return 0;
  }

  private Map<String, Object> npy() throws IOException {
    NpyHeader h = NpyFile.readHeader(file);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", file.toString());
    info.put("format", "npy");
    info.putAll(describe(h, Converter.stem(file)));
    info.put("bytes", Files.size(file));
    return info;
  }

  private static Map<String, Object> describe(NpyHeader h, String name) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("version", h.majorVersion() + ".0");
    info.put("descr", h.dtype().descr());
    info.put("shape", h.shape());
    info.put("fortran_order", h.fortranOrder());
    info.put("elements", h.elementCount());
    info.put("arrow_type", Fields.describe(NumpyArrowTypes.field(name, h, NpyReadOptions.DEFAULTS)));
    return info;
  }

  private Map<String, Object> npz() throws IOException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", file.toString());
    info.put("format", "npz");
    List<Map<String, Object>> members = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator(); NpzArchive npz = NpzArchive.open(file)) {
      info.put("layout", npz.layout().label());
      info.put("bytes", Files.size(file));
      if (npz.layout() == io.arrownpz.npz.NpzLayout.FRAME) {
        info.put("frame", FrameSummary.describe(new NpzFrameSource(npz), allocator));
      }
      for (ZipEntry entry : npz.entries()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", entry.name());
        m.put("compression", entry.compressionName());
        m.put("size", entry.size());
        m.put("compressed_size", entry.compressedSize());
        if (entry.name().endsWith(NpzArchive.NPY_SUFFIX)) {
          try (NpyArray array = npz.array(entry, allocator)) {
            m.putAll(describe(array.header(), NpzArchive.key(entry.name())));
            if (entry.isStored()) {
              long offset = npz.zip().dataOffset(entry) + array.header().dataOffset();
              m.put("data_offset", offset);
              m.put("aligned", offset % 64 == 0);
            }
          }
        }
        members.add(m);
      }
    }
    info.put("members", members);
    return info;
  }

  /** Feather, IPC stream or Parquet: the schema, rows, batches and (Feather) whether it is compressed. */
  private Map<String, Object> arrowFile(FileFormat format) throws IOException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", file.toString());
    info.put("format", format.formatName());
    info.put("bytes", Files.size(file));
    try (BufferAllocator allocator = new RootAllocator();
         ArrowReader reader = new Converter(allocator).openReader(file, format)) {
      if (reader instanceof MappedFeatherReader mapped) {
        info.put("compressed", mapped.isCompressed());
      } else if (format == FileFormat.FEATHER) {
        info.put("compressed", true); // only compressed Feather files are left to Arrow's reader
      }
      Schema schema = reader.getVectorSchemaRoot().getSchema();
      long rows = 0;
      int batches = 0;
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
        batches++;
      }
      info.put("rows", rows);
      info.put("batches", batches);
      List<Map<String, Object>> fields = new ArrayList<>();
      for (Field f : schema.getFields()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.getName());
        m.put("arrow_type", Fields.describe(f));
        m.put("nullable", f.isNullable());
        m.put("numpy_descr", f.getMetadata() == null ? null : f.getMetadata().get(NumpyMetadata.DESCR));
        fields.add(m);
      }
      info.put("fields", fields);
      Map<String, String> meta = schema.getCustomMetadata();
      info.put("schema_metadata", meta == null ? List.of() : new ArrayList<>(new java.util.TreeSet<>(meta.keySet())));
    } catch (RuntimeException e) {
      throw new BadFileException(file.toString(), null, "cannot be read: " + e.getMessage(), e);
    }
    return info;
  }

  @SuppressWarnings("unchecked")
  private void printArrowFile(PrintWriter out, Map<String, Object> info) {
    out.printf("file          %s%n", info.get("file"));
    out.printf("format        %s%s, %s%n", info.get("format"), info.containsKey("compressed")
        ? ((Boolean) info.get("compressed") ? " (compressed)" : " (uncompressed)") : "", Units.bytes((Long) info.get("bytes")));
    out.printf("rows          %,d in %d batch%s%n", (Long) info.get("rows"), (Integer) info.get("batches"),
        (Integer) info.get("batches") == 1 ? "" : "es");
    List<String> keys = (List<String>) info.get("schema_metadata");
    out.printf("metadata      %s%n", keys.isEmpty() ? "-" : String.join(", ", keys));
    out.printf("%n%-30s %-40s %s%n", "field", "arrow type", "numpy dtype");
    for (Map<String, Object> f : (List<Map<String, Object>>) info.get("fields")) {
      out.printf("%-30s %-40s %s%n", f.get("name"), f.get("arrow_type"), f.get("numpy_descr") == null ? "-" : f.get("numpy_descr"));
    }
  }

  private Map<String, Object> npyDirectory() throws IOException {
    if (!Files.isRegularFile(file.resolve("__meta__.json"))) {
      throw new io.arrownpz.BadFileException(file, null, "a directory, but not an NPY-directory frame (it has no "
          + "__meta__.json); convert a directory of files with: arrow-npz convert DIR OUTDIR --to FORMAT");
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", file.toString());
    info.put("format", "npy-dir");
    info.put("layout", "frame");
    try (BufferAllocator allocator = new RootAllocator(); NpyDirectorySource source = new NpyDirectorySource(file)) {
      info.put("frame", FrameSummary.describe(source, allocator));
    }
    return info;
  }

  @SuppressWarnings("unchecked")
  private void printFrame(PrintWriter out, Object summary) {
    Map<String, Object> frame = (Map<String, Object>) summary;
    long[] shape = (long[]) frame.get("shape");
    out.printf("%nframe         %s, %,d rows x %,d columns%n", frame.get("name") == null ? "(no name)" : frame.get("name"),
        shape[0], shape[1]);
    for (String side : new String[] {"index", "columns"}) {
      Map<String, Object> l = (Map<String, Object>) frame.get(side);
      out.printf("%-13s %s, depth %s%s%s%n", side, l.get("class"), l.get("depth"),
          l.get("name") == null ? "" : ", name " + l.get("name"),
          (Boolean) l.get("auto") ? ", automatic" : ", dtypes " + String.join(" ", (List<String>) l.get("dtypes")));
    }
    List<Map<String, Object>> blocks = (List<Map<String, Object>>) frame.get("blocks");
    out.printf("blocks        %d%n", blocks.size());
    int shown = 0;
    for (Map<String, Object> b : blocks) {
      if (shown++ == 20) {
        out.printf("  ... %d more%n", blocks.size() - 20);
        break;
      }
      out.printf("  %-20s %-10s %-14s %s%n", b.get("member"), b.get("dtype"), NpyHeader.shapeText((long[]) b.get("shape")),
          b.get("order"));
    }
  }

  private void printNpy(PrintWriter out, Map<String, Object> info) {
    out.printf("file          %s%n", info.get("file"));
    out.printf("format        NPY %s%n", info.get("version"));
    out.printf("dtype         %s%n", info.get("descr"));
    out.printf("shape         %s%n", NpyHeader.shapeText((long[]) info.get("shape")));
    out.printf("order         %s%n", (Boolean) info.get("fortran_order") ? "Fortran (column-major)" : "C (row-major)");
    out.printf("elements      %,d%n", (Long) info.get("elements"));
    out.printf("size          %s%n", Units.bytes((Long) info.get("bytes")));
    out.printf("arrow type    %s%n", info.get("arrow_type"));
  }

  @SuppressWarnings("unchecked")
  private void printNpz(PrintWriter out, Map<String, Object> info) {
    List<Map<String, Object>> members = (List<Map<String, Object>>) info.get("members");
    out.printf("file          %s%n", info.get("file"));
    out.printf("format        NPZ (%d members, %s)%n", members.size(), Units.bytes((Long) info.get("bytes")));
    out.printf("layout        %s%n%n", info.get("layout"));
    out.printf("%-24s %-10s %-14s %-9s %10s %8s  %s%n", "member", "dtype", "shape", "stored", "offset", "aligned",
        "arrow type");
    for (Map<String, Object> m : members) {
      Object shape = m.get("shape");
      out.printf("%-24s %-10s %-14s %-9s %10s %8s  %s%n", m.get("name"), m.getOrDefault("descr", "-"),
          shape == null ? "-" : NpyHeader.shapeText((long[]) shape), m.get("compression"),
          m.getOrDefault("data_offset", "-"), m.containsKey("aligned") ? ((Boolean) m.get("aligned") ? "yes" : "no") : "-",
          m.getOrDefault("arrow_type", ""));
    }
  }
}
