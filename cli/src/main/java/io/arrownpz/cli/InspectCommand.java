package io.arrownpz.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NumpyArrowTypes;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.npy.NpyHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.vector.types.pojo.Field;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show what an NPY file holds and the Arrow type it maps to. Reads only the header.",
    footer = {"", "Examples:", "  arrow-npz inspect prices.npy", "  arrow-npz inspect prices.npy --json"})
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "An .npy file.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object (keys: file, format, version, descr, shape, "
      + "fortran_order, elements, bytes, arrow_type).")
  boolean json;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    NpyHeader h = NpyFile.readHeader(file);
    Field field = NumpyArrowTypes.field(io.arrownpz.bridge.Converter.stem(file), h, NpyReadOptions.DEFAULTS);
    String arrowType = Fields.describe(field);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("file", file.toString());
    info.put("format", "npy");
    info.put("version", h.majorVersion() + ".0");
    info.put("descr", h.dtype().descr());
    info.put("shape", h.shape());
    info.put("fortran_order", h.fortranOrder());
    info.put("elements", h.elementCount());
    info.put("bytes", Files.size(file));
    info.put("arrow_type", arrowType);
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(info));
      return 0;
    }
    out.printf("file          %s%n", file);
    out.printf("format        NPY %s%n", info.get("version"));
    out.printf("dtype         %s%n", h.dtype().descr());
    out.printf("shape         %s%n", NpyHeader.shapeText(h.shape()));
    out.printf("order         %s%n", h.fortranOrder() ? "Fortran (column-major)" : "C (row-major)");
    out.printf("elements      %,d%n", h.elementCount());
    out.printf("size          %s%n", Units.bytes(Files.size(file)));
    out.printf("arrow type    %s%n", arrowType);
    return 0;
  }
}
