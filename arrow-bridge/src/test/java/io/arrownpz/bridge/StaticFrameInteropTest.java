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

  /**
   * Frames from plain Arrow tables (pyarrow wrote them, no frame metadata): an index field chosen, or
   * an automatic index; NPZ aligned or not, and NPY directories, in every block layout. StaticFrame
   * reads each as the frame built from the same data.
   */
  @Test
  void staticFrameReadsFramesWeMakeFromPlainTables() throws IOException {
    PythonPeer.require("static_frame", "pyarrow");
    Path table = tmp.resolve("plain.feather");
    PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather
        n = 50
        t = pa.table({'key': pa.array([f'k{i}' for i in range(n)]), 'i': pa.array(np.arange(n, dtype='i8')),
                      'f': pa.array(np.linspace(0, 1, n)), 'b': pa.array(np.arange(n) % 3 == 0),
                      't': pa.array(np.arange(n, dtype='i8') * 10**9, pa.timestamp('ns')),
                      'g': pa.array(np.arange(n, dtype='i4'))})
        feather.write_feather(t, sys.argv[1], compression='uncompressed')
        """, table.toString());
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>(List.of(table.toString()));
    int n = 0;
    for (io.arrownpz.frame.FrameWriteOptions.BlockLayout blocks : io.arrownpz.frame.FrameWriteOptions.BlockLayout.values()) {
      for (List<String> index : List.of(List.<String>of(), List.of("key"))) {
        for (int align : new int[] {0, 64}) {
          ConvertOptions options = ConvertOptions.DEFAULTS.withLayout(io.arrownpz.npz.NpzLayout.FRAME)
              .withFrame(io.arrownpz.frame.FrameWriteOptions.DEFAULTS.withBlocks(blocks).withIndexFields(index))
              .withNpz(io.arrownpz.npz.NpzWriteOptions.DEFAULTS.withAlignment(align));
          Path npz = tmp.resolve("plain" + n + ".npz");
          converter.convert(table, FileFormat.FEATHER, npz, FileFormat.NPZ, options);
          Path dir = tmp.resolve("plain" + n + ".npydir");
          converter.convert(table, FileFormat.FEATHER, dir, FileFormat.NPY_DIR, options);
          args.addAll(List.of(npz.toString(), dir.toString(), index.isEmpty() ? "-" : index.get(0)));
          n++;
        }
      }
    }
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow.feather as feather, static_frame as sf
        t = feather.read_table(sys.argv[1])
        # Strings as NumPy str arrays (pyarrow gives objects), as a frame written from Arrow holds them.
        data = {name: np.array(t.column(name).to_pylist()) if t.column(name).type == 'string'
                else t.column(name).to_numpy() for name in t.column_names}
        a = sys.argv[2:]
        for npz, d, key in zip(a[0::3], a[1::3], a[2::3]):
            columns = [c for c in t.column_names if c != key]
            index = sf.Index(data[key], name=key) if key != '-' else None
            want = sf.Frame.from_items(((c, data[c]) for c in columns), index=index)
            for got in (sf.Frame.from_npz(npz), sf.Frame.from_npy(d)):
                assert got.equals(want, compare_dtype=True, compare_name=True), (npz, got, want)
        print(len(a) // 3)
        """, args.toArray(String[]::new));
    assertEquals(String.valueOf(n), out.strip());
  }
}
