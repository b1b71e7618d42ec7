package io.arrownpz.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.arrownpz.FileInfo;
import io.arrownpz.FrameInfo;
import io.arrownpz.MemberInfo;
import io.arrownpz.NpyDirectoryInfo;
import io.arrownpz.NpyInfo;
import io.arrownpz.NpzInfo;
import io.arrownpz.bridge.ArrowFileInfo;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.FolderDataset;
import io.arrownpz.npy.NpyHeader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints what the library's {@code describe} learns about a file, as text or JSON; it reads nothing itself. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Show what a file holds: for .npy, .npz and NPY directories the dtypes, shapes and the Arrow "
        + "types they map to, from the headers alone (for archives each member's compression and offset and the "
        + "layout; for frames the shape, index, columns and blocks); for Feather, .arrows and Parquet the fields, "
        + "rows, batches and schema metadata; for a folder of files the same of the one table they make "
        + "(as convert DIR FILE reads it).",
    footer = {"", "Examples:", "  arrow-npz inspect prices.npy", "  arrow-npz inspect prices.npy --json",
        "  arrow-npz inspect frame.npz",
        "  arrow-npz inspect table.parquet --json",
        "  arrow-npz inspect upload.npz --quiet && echo readable"})
final class InspectCommand implements Callable<Integer> {
  /** JSON as the README documents it: snake_case keys, keys that do not apply left out. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .addMixIn(FrameInfo.Labels.class, LabelsJson.class)
      .addMixIn(ArrowFileInfo.FieldInfo.class, FieldJson.class);

  /** A label's class is "class" in JSON, a name Java keeps for itself. */
  private abstract static class LabelsJson {
    @JsonProperty("class")
    abstract String className();
  }

  /** A field's NumPy dtype is shown as null when it has none, so every field has the same keys. */
  private abstract static class FieldJson {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    abstract String numpyDescr();
  }

  @Parameters(paramLabel = "FILE", description = "An .npy, .npz, .feather/.arrow, .arrows or .parquet file, or an NPY "
      + "directory; a pipe (<(...)) is read through; - reads standard input, its format told by its first bytes.")
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
    try (StandardStreams in = StandardStreams.input(spec, file, from, System.in)) {
      StringWriter text = new StringWriter();
      describe(in.path(), new PrintWriter(text));
      if (!quiet) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(StandardStreams.named(text.toString()));
        out.flush();
      }
    }
    return 0;
  }

  private void describe(Path source, PrintWriter out) throws IOException {
    FileFormat format = Formats.format(spec, from, source, "IN");
    FileInfo info;
    try (BufferAllocator allocator = new RootAllocator()) {
      // A folder that is not an NPY-directory frame: described as the one table convert DIR FILE makes of it.
      info = format == FileFormat.NPY_DIR && FolderDataset.isFolder(source)
          ? FolderDataset.of(source).describe(allocator)
          : new Converter(allocator).describe(source, format);
    }
    if (json) {
      out.println(JSON.writeValueAsString(info));
    } else if (info instanceof NpyInfo npy) {
      printNpy(out, npy);
    } else if (info instanceof NpzInfo npz) {
      printNpz(out, npz);
      if (npz.frame() != null) {
        printFrame(out, npz.frame());
      }
    } else if (info instanceof NpyDirectoryInfo dir) {
      out.printf("file          %s%n", dir.file());
      out.printf("format        NPY directory (%s)%n", Units.bytes(dir.bytes()));
      printFrame(out, dir.frame());
    } else if (info instanceof ArrowFileInfo arrow) {
      printArrowFile(out, arrow);
    }
    out.flush();
  }

  private static void printNpy(PrintWriter out, NpyInfo info) {
    out.printf("file          %s%n", info.file());
    out.printf("format        NPY %s%n", info.version());
    out.printf("dtype         %s%n", info.descr());
    out.printf("shape         %s%n", NpyHeader.shapeText(info.shape()));
    out.printf("order         %s%n", info.fortranOrder() ? "Fortran (column-major)" : "C (row-major)");
    out.printf("elements      %,d%n", info.elements());
    out.printf("size          %s%n", Units.bytes(info.bytes()));
    out.printf("arrow type    %s%n", info.arrowType());
  }

  private static void printNpz(PrintWriter out, NpzInfo info) {
    out.printf("file          %s%n", info.file());
    out.printf("format        NPZ (%d members, %s)%n", info.members().size(), Units.bytes(info.bytes()));
    out.printf("layout        %s%n", info.layout());
    if (!info.tables().isEmpty()) {
      out.printf("tables        %d, one per member: its arrays differ in length (read one with --member, or "
          + "convert the archive into a directory, a file per table)%n", info.tables().size());
    }
    out.println();
    out.printf("%-24s %-10s %-14s %-9s %10s %8s  %s%n", "member", "dtype", "shape", "stored", "offset", "aligned",
        "arrow type");
    for (MemberInfo m : info.members()) {
      out.printf("%-24s %-10s %-14s %-9s %10s %8s  %s%n", m.name(), m.isArray() ? m.descr() : "-",
          m.isArray() ? NpyHeader.shapeText(m.shape()) : "-", m.compression(),
          m.dataOffset() == null ? "-" : m.dataOffset(), m.aligned() == null ? "-" : m.aligned() ? "yes" : "no",
          m.isArray() ? m.arrowType() : "");
    }
  }

  private static void printArrowFile(PrintWriter out, ArrowFileInfo info) {
    out.printf("file          %s%n", info.file());
    out.printf("format        %s%s, %s%n", info.format(), info.compressed() == null ? ""
        : info.compressed() ? " (compressed)" : " (uncompressed)", Units.bytes(info.bytes()));
    out.printf("rows          %,d in %d batch%s%n", info.rows(), info.batches(), info.batches() == 1 ? "" : "es");
    out.printf("metadata      %s%n", info.schemaMetadata().isEmpty() ? "-" : String.join(", ", info.schemaMetadata()));
    out.printf("%n%-30s %-40s %s%n", "field", "arrow type", "numpy dtype");
    for (ArrowFileInfo.FieldInfo f : info.fields()) {
      out.printf("%-30s %-40s %s%n", f.name(), f.arrowType(), f.numpyDescr() == null ? "-" : f.numpyDescr());
    }
  }

  private static void printFrame(PrintWriter out, FrameInfo frame) {
    out.printf("%nframe         %s, %,d rows x %,d columns%n", frame.name() == null ? "(no name)" : frame.name(),
        frame.shape()[0], frame.shape()[1]);
    printLabels(out, "index", frame.index());
    printLabels(out, "columns", frame.columns());
    out.printf("blocks        %d%n", frame.blocks().size());
    int shown = 0;
    for (FrameInfo.Block b : frame.blocks()) {
      if (shown++ == 20) {
        out.printf("  ... %d more%n", frame.blocks().size() - 20);
        break;
      }
      out.printf("  %-20s %-10s %-14s %s%n", b.member(), b.dtype(), NpyHeader.shapeText(b.shape()), b.order());
    }
  }

  private static void printLabels(PrintWriter out, String side, FrameInfo.Labels l) {
    out.printf("%-13s %s, depth %s%s%s%n", side, l.className(), l.depth(), l.name() == null ? "" : ", name " + l.name(),
        l.auto() ? ", automatic" : ", dtypes " + String.join(" ", l.dtypes()));
  }
}
