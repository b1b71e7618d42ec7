package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Directory conversion plans every output first: two inputs never end up in one output file. */
class DirectoryConverterTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private Path inputs(String... names) throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path npy = Fixtures.path("npy/le_i4.npy");
    Converter converter = new Converter(memory.allocator());
    for (String name : names) {
      Path target = in.resolve(name);
      converter.convert(npy, FileFormat.NPY, target, FileFormat.ofPath(target), ConvertOptions.DEFAULTS);
    }
    return in;
  }

  @Test
  void inputsThatShareAnOutputAreRefusedBeforeAnyWork() throws IOException {
    Path in = inputs("data.arrow", "data.arrows", "data.npy", "other.npy");
    Path out = tmp.resolve("out");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        new DirectoryConverter(memory.allocator(), 2).convert(in, out, FileFormat.FEATHER, ConvertOptions.DEFAULTS, null));
    assertTrue(e.getMessage().contains("data.arrow, data.arrows, data.npy would all be written to"), e.getMessage());
    assertTrue(e.getMessage().endsWith("nothing was converted (rename one, or convert them separately)"), e.getMessage());
    assertTrue(!Files.exists(out), "the output directory was made anyway");
  }

  @Test
  void anOutputThatIsAnInputIsRefused() throws IOException {
    Path in = inputs("a.feather", "b.npy");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        new DirectoryConverter(memory.allocator(), 2).convert(in, in, FileFormat.FEATHER, ConvertOptions.DEFAULTS, null));
    assertTrue(e.getMessage().contains("would be written over the input"), e.getMessage());
  }

  @Test
  void distinctStemsConvertEach() throws IOException {
    Path in = inputs("a.arrow", "b.arrows", "c.npy");
    Path out = tmp.resolve("out");
    List<DirectoryConverter.Result> results =
        new DirectoryConverter(memory.allocator(), 2).convert(in, out, FileFormat.PARQUET, ConvertOptions.DEFAULTS, null);
    assertEquals(3, results.size());
    for (String name : List.of("a.parquet", "b.parquet", "c.parquet")) {
      assertTrue(Files.size(out.resolve(name)) > 0, name);
    }
  }

  /**
   * An NPZ of arrays of different lengths converts into a directory named after it, a file per member
   * (in any format), each holding what NumPy wrote; converted again it replaces that directory whole, and
   * a directory there that holds anything else is not touched.
   */
  @Test
  void anArchiveOfArraysOfDifferentLengthsBecomesAFilePerTable() throws Exception {
    io.arrownpz.testing.PythonPeer.require("numpy", "pyarrow");
    Path npz = tmp.resolve("m.npz");
    io.arrownpz.testing.PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1], a=np.arange(10), b=np.linspace(0, 1, 7), c=np.array(['x', 'yy', 'zzz']),
                 **{'c.__mask__': np.array([False, True, False])})
        """, npz.toString());
    DirectoryConverter converter = new DirectoryConverter(memory.allocator(), 2);
    for (FileFormat to : List.of(FileFormat.FEATHER, FileFormat.PARQUET, FileFormat.NPZ)) {
      Path out = tmp.resolve("out-" + to.formatName());
      for (int round = 0; round < 2; round++) { // the second replaces the first's directory
        List<DirectoryConverter.Result> results = converter.convert(List.of(npz), out, to, ConvertOptions.DEFAULTS, null);
        assertEquals(null, results.get(0).failure(), to.formatName());
      }
      String ext = DirectoryConverter.extension(to);
      String checked = io.arrownpz.testing.PythonPeer.run("""
          import sys, os, numpy as np, pyarrow.feather as feather, pyarrow.parquet as pq
          src, out, ext = np.load(sys.argv[1]), sys.argv[2], sys.argv[3]
          assert sorted(os.listdir(out)) == ['m'], os.listdir(out)
          assert sorted(os.listdir(os.path.join(out, 'm'))) == ['a' + ext, 'b' + ext, 'c' + ext], os.listdir(out + '/m')
          for k in ('a', 'b', 'c'):
              path = os.path.join(out, 'm', k + ext)
              if ext == '.npz':
                  z = np.load(path)
                  got = np.ma.masked_array(z[k], z[k + '.__mask__']) if k + '.__mask__' in z.files else z[k]
                  got = got.tolist()
              else:
                  t = feather.read_table(path) if ext == '.feather' else pq.read_table(path)
                  got = t.column(k).to_pylist()
              want = src[k].tolist()
              if k == 'c':
                  want[1] = None
              assert got == want, (path, got, want)
          print('ok')
          """, npz.toString(), out.toString(), ext);
      assertEquals("ok", checked.strip(), to.formatName());
    }
    Path other = tmp.resolve("other");
    Files.createDirectories(other.resolve("m"));
    Files.writeString(other.resolve("m/notes.txt"), "mine");
    List<DirectoryConverter.Result> refused = converter.convert(List.of(npz), other, FileFormat.FEATHER,
        ConvertOptions.DEFAULTS, null);
    assertTrue(refused.get(0).failure() != null && refused.get(0).failure().getMessage().contains("not replaced"),
        String.valueOf(refused.get(0).failure()));
    assertEquals("mine", Files.readString(other.resolve("m/notes.txt")));
    assertEquals(List.of(other.resolve("m")), Files.list(other).toList(), "no partial directory left beside it");
  }
}
