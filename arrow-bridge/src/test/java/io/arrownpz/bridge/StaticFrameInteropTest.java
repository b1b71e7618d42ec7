package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real StaticFrame (built from ../shared/peers by .ci/peers) writes frames; we convert each, from
 * its NPZ and from its NPY directory, to NPZ, NPY directory, Feather and Parquet, and Feather back to
 * NPZ. StaticFrame must read back equal frames; pandas and polars must read our Feather and Parquet
 * as StaticFrame's own {@code to_pandas} shows the frame (see the script for the documented differences).
 */
class StaticFrameInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void staticFrameReadsOurFramesAndPandasAndPolarsReadOurFiles() throws IOException {
    PythonPeer.require("static_frame", "frame_fixtures", "pandas", "polars", "pyarrow");
    List<String> names = PythonPeer.run(InteropScripts.text("write_staticframe_frames.py"), tmp.toString())
        .strip().lines().toList();
    assertTrue(names.size() >= 20, names.toString());
    Converter converter = new Converter(memory.allocator());
    for (String name : names) {
      for (String source : List.of(name + ".npz", name + ".npydir")) {
        Path input = tmp.resolve(source);
        FileFormat from = source.endsWith(".npz") ? FileFormat.NPZ : FileFormat.NPY_DIR;
        converter.convert(input, from, tmp.resolve(source + ".ours.npz"), FileFormat.NPZ, ConvertOptions.DEFAULTS);
        converter.convert(input, from, tmp.resolve(source + ".ours.npydir"), FileFormat.NPY_DIR, ConvertOptions.DEFAULTS);
        Path feather = tmp.resolve(source + ".ours.feather");
        converter.convert(input, from, feather, FileFormat.FEATHER, ConvertOptions.DEFAULTS);
        converter.convert(input, from, tmp.resolve(source + ".ours.parquet"), FileFormat.PARQUET, ConvertOptions.DEFAULTS);
        converter.convert(feather, FileFormat.FEATHER, tmp.resolve(source + ".back.npz"), FileFormat.NPZ,
            ConvertOptions.DEFAULTS);
      }
    }
    List<String> args = new ArrayList<>(List.of(tmp.toString()));
    args.addAll(names);
    String out = PythonPeer.run(InteropScripts.text("check_staticframe_frames.py"), args.toArray(String[]::new)).strip();
    assertEquals("checked " + 2 * names.size(), out, out);
    assertTrue(Files.isDirectory(tmp.resolve(names.get(0) + ".npz.ours.npydir")));
  }
}
