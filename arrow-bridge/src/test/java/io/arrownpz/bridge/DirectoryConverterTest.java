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
}
