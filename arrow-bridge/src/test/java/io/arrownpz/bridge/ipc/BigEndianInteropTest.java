package io.arrownpz.bridge.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.UnsupportedFileException;
import io.arrownpz.bridge.ConversionCases;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.DirectoryConverter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.InteropScripts;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrow IPC files and streams written on big-endian machines: the Arrow project's own integration files
 * (primitives, dates and times, both formats) and, for every other type, files made here from pyarrow's
 * little-endian ones (pyarrow confirms they hold the original values). Each converts to Feather, IPC
 * stream and Parquet with the values pyarrow reads from the big-endian input.
 */
class BigEndianInteropTest {
  private static final List<String> FIXTURES = List.of("generated_primitive.arrow_file", "generated_primitive.stream",
      "generated_datetime.arrow_file", "generated_datetime.stream");
  private static final List<String> TARGETS = List.of("feather", "arrows", "parquet");

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /**
   * Every big-endian input, each followed by its little-endian original (or "-" where the input is one of
   * the Arrow project's files, whose values pyarrow's own reading gives). All hold two batches or more.
   */
  private List<String> bigEndianInputs() throws IOException {
    Path little = Files.createDirectories(tmp.resolve("little"));
    Path big = Files.createDirectories(tmp.resolve("big"));
    List<String> written = PythonPeer.run(InteropScripts.text("write_all_types.py"), little.toString())
        .strip().lines().filter(n -> n.endsWith(".feather")).toList();
    List<String> pairs = new ArrayList<>();
    for (String name : written) {
      for (boolean file : new boolean[] {true, false}) {
        Path out = big.resolve(name + (file ? ".be.arrow" : ".be.arrows"));
        try (ArrowReader reader = FeatherFiles.openReader(little.resolve(name), memory.allocator())) {
          BigEndianWriter.write(reader, out, file, memory.allocator());
        } catch (UnsupportedFileException e) {
          continue; // decimal32/64, which Arrow Java cannot hold in either byte order (the type matrix checks)
        }
        pairs.add(out.toString());
        pairs.add(little.resolve(name).toString());
      }
    }
    for (String fixture : FIXTURES) {
      Path copy = big.resolve(fixture.endsWith(".stream") ? fixture + ".arrows" : fixture + ".arrow");
      try (InputStream in = BigEndianInteropTest.class.getResourceAsStream("/bigendian/" + fixture)) {
        Files.copy(in, copy);
      }
      pairs.add(copy.toString());
      pairs.add("-");
    }
    return pairs;
  }

  @Test
  void bigEndianFilesAndStreamsConvertWithTheirValues() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    List<String> pairs = bigEndianInputs();
    // Our conversions of each big-endian input.
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      Path input = Path.of(pairs.get(i));
      for (String target : TARGETS) {
        Path output = Path.of(input + ".to." + target);
        String result = output.toString();
        try {
          converter.convert(input, FileFormat.ofPath(input), output, FileFormat.named(target), ConvertOptions.DEFAULTS);
        } catch (UnsupportedFileException e) {
          assertEquals("parquet", target, e.getMessage()); // Parquet has no form for some types
          result = "!refused";
        }
        args.add(input.toString());
        args.add(pairs.get(i + 1));
        args.add(result);
      }
    }
    String out = PythonPeer.run("""
        import sys, io, pyarrow as pa, pyarrow.ipc as ipc, pyarrow.feather as feather, pyarrow.parquet as pq
        def read(p):
            if p.endswith('.arrows'):
                return ipc.open_stream(p).read_all()
            if p.endswith('.parquet'):
                return pq.read_table(p)
            return ipc.open_file(p).read_all()
        def bare(t):
            return pa.table(t.columns, schema=pa.schema([f.remove_metadata() for f in t.schema]))
        def same(a, b):
            a, b = bare(a), bare(b)
            try:
                return a.schema == b.schema and all(
                    a[n].equals(b[n]) or repr(a[n].to_pylist()) == repr(b[n].to_pylist()) for n in a.column_names)
            except pa.ArrowException:
                return False
        a = sys.argv[1:]
        checked = 0
        unswappable = set()
        problems = []
        for big, original, ours in zip(a[0::3], a[1::3], a[2::3]):
            try:
                swapped_by_pyarrow = read(big)
            except pa.ArrowNotImplementedError:
                # pyarrow cannot swap some types; compare with the original instead.
                swapped_by_pyarrow = feather.read_table(original)
                unswappable.add(big)
            if original != '-' and big not in unswappable:
                # The big-endian file made here holds the original values (pyarrow swaps on read).
                if not same(swapped_by_pyarrow, feather.read_table(original)):
                    problems.append(('generator', big))
                    continue
            want = swapped_by_pyarrow
            if ours == '!refused':
                try:
                    pq.write_table(want, io.BytesIO())
                except Exception:
                    checked += 1
                    continue
                raise AssertionError(('refused, but pyarrow writes it to Parquet', big))
            if ours.endswith('.parquet'):
                b = io.BytesIO(); pq.write_table(want, b); b.seek(0); want = pq.read_table(b)
            if not same(read(ours), want):
                problems.append((ours, str(read(ours).schema), str(want.schema)))
            checked += 1
        assert not problems, problems
        # pyarrow cannot swap views and run-end encoded arrays (nor the file holding every type).
        import os
        assert all(os.path.basename(b).split('.')[0] in ('sview', 'bview', 'ree', 'all_lz4') for b in unswappable), unswappable
        print(checked)
        """, args.toArray(String[]::new));
    System.out.println("BigEndianInteropTest: " + pairs.size() / 2 + " big-endian inputs, " + out.strip()
        + " conversions compared");
    assertEquals(args.size() / 3, Integer.parseInt(out.strip()));
    assertTrue(args.size() / 3 > 100, out);
  }

  /**
   * The NumPy targets read a big-endian input whole, joining its batches after swapping them; what is
   * written must hold the values of the original (checked as for little-endian inputs, by the same script).
   */
  @Test
  void bigEndianInputsConvertToNumpyTargets() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    List<String> pairs = bigEndianInputs();
    ConversionCases cases = new ConversionCases(new Converter(memory.allocator()));
    for (int i = 0; i < pairs.size(); i += 2) {
      Path input = Path.of(pairs.get(i));
      String original = pairs.get(i + 1).equals("-") ? input.toString() : pairs.get(i + 1);
      for (String target : List.of("npz", "npy", "npy-dir")) {
        FileFormat to = FileFormat.named(target);
        Path folder = Files.createDirectories(tmp.resolve("numpy").resolve(target).resolve(Integer.toString(i)));
        // An .npy file names its column by its stem: the original's.
        Path output = folder.resolve(Converter.stem(Path.of(original)) + (to == FileFormat.NPY_DIR ? "" : DirectoryConverter.extension(to)));
        String message = cases.convert(input, original, target, output, folder.resolve("back.feather"));
        if (message != null) {
          assertFalse(message.matches(".*(not a valid|corrupt|cannot be read|internal error).*"), message);
        }
      }
    }
    String verdict = cases.verdict(tmp.resolve("numpy-cases.json"));
    System.out.println("BigEndianInteropTest: " + pairs.size() / 2 + " big-endian inputs to NumPy targets: " + verdict);
    assertEquals(cases.clean(), verdict);
    assertTrue(cases.written() > 60, verdict);
  }

  /**
   * The Arrow project's big-endian files hold columns NumPy has no exact type for (date64, fixed-size
   * binary), so they are refused above; with --nearest-dtype they are written, and NumPy reads the
   * values and nulls pyarrow reads from the big-endian input (temporal columns compared as integers).
   */
  @Test
  void bigEndianFixturesWrittenAsNearestDtypes() throws IOException {
    PythonPeer.require("numpy", "pyarrow");
    Converter converter = new Converter(memory.allocator());
    List<String> args = new ArrayList<>();
    for (String fixture : FIXTURES) {
      Path copy = tmp.resolve(fixture.endsWith(".stream") ? fixture + ".arrows" : fixture + ".arrow");
      try (InputStream in = BigEndianInteropTest.class.getResourceAsStream("/bigendian/" + fixture)) {
        Files.copy(in, copy);
      }
      Path npz = tmp.resolve(fixture + ".npz");
      converter.convert(copy, FileFormat.ofPath(copy), npz, FileFormat.NPZ, ConvertOptions.DEFAULTS.withNearestDtype(true));
      args.add(copy.toString());
      args.add(npz.toString());
    }
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.ipc as ipc
        a = sys.argv[1:]
        columns = 0
        for src, npz in zip(a[0::2], a[1::2]):
            t = (ipc.open_stream(src) if src.endswith('.arrows') else ipc.open_file(src)).read_all()
            assert t.num_rows > 0 and len(t[0].chunks) > 1, (src, t.num_rows)
            with np.load(npz, allow_pickle=False) as z:
                for name in t.column_names:
                    col, got = t[name], z[name]
                    nulls = np.asarray(col.is_null())
                    if got.dtype.kind in 'Mm':
                        # NaT is NumPy's null for datetimes and timedeltas: no mask
                        assert name + '.__mask__' not in z.files, (src, name)
                        assert np.array_equal(np.isnat(got), nulls), (src, name, 'nulls as NaT')
                    elif name + '.__mask__' in z.files:
                        assert np.array_equal(z[name + '.__mask__'], nulls), (src, name)
                    else:
                        assert not nulls.any(), (src, name, 'nulls without a mask')
                    valid = ~nulls
                    typ = col.type
                    if pa.types.is_temporal(typ):
                        width = pa.int64() if typ.bit_width == 64 else pa.int32()
                        want = pa.chunked_array([c.view(width) for c in col.chunks]).fill_null(0).to_numpy()
                        assert np.array_equal(got.view('i8')[valid], want[valid].astype('i8')), (src, name)
                    elif pa.types.is_fixed_size_binary(typ) or pa.types.is_binary(typ) or pa.types.is_string(typ):
                        want = col.to_pylist()
                        assert [got[i] for i in np.flatnonzero(valid)] == [w for w in want if w is not None], (src, name)
                    else:
                        want = col.to_numpy(zero_copy_only=False)
                        assert np.array_equal(got[valid], want[valid].astype(got.dtype)), (src, name, got, want)
                    columns += 1
        print(columns)
        """, args.toArray(String[]::new));
    assertTrue(Integer.parseInt(out.strip()) >= 40, out);
  }
}
