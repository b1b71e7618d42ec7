package io.arrownpz.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NumpyArrowTypes;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.npy.NpyHeader;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show what an .npy, .npz or NPY directory holds: dtypes, shapes, the Arrow types they map to; "
        + "for archives each member's compression and offset and the layout (plain, packed, frame); for frames "
        + "the shape, index, columns and blocks.",
    footer = {"", "Examples:", "  arrow-npz inspect prices.npy", "  arrow-npz inspect prices.npy --json",
        "  arrow-npz inspect frame.npz"})
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "An .npy or .npz file.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object; its keys are listed in the README.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    FileFormat format = FileFormat.ofPath(file);
    Map<String, Object> info = switch (format == null ? FileFormat.NPY : format) {
      case NPZ -> npz();
      case NPY_DIR -> npyDirectory();
      default -> npy();
    };
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(info));
      return 0;
    }
    if (format == FileFormat.NPZ) {
      printNpz(out, info);
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

  private Map<String, Object> npyDirectory() throws IOException {
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
