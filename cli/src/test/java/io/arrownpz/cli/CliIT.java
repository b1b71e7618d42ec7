package io.arrownpz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the packaged command as a user does: a process, its exit code, stdout and stderr. */
class CliIT {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) throws IOException, InterruptedException {
    return cliReading(null, args);
  }

  /** The command with {@code stdin} (a file; null: none) as its standard input. */
  static Run cliReading(Path stdin, String... args) throws IOException, InterruptedException {
    String jar = System.getProperty("arrownpz.cli.jar");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("cli", ".out");
    Path err = Files.createTempFile("cli", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (stdin != null) {
        builder.redirectInput(stdin.toFile());
      }
      Process p = builder.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("arrow-npz " + String.join(" ", args) + " timed out");
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void versionAndHelp() throws Exception {
    Run v = cli("--version");
    assertEquals(0, v.exit);
    List<String> versions = v.out.strip().lines().toList();
    assertTrue(versions.get(0).matches("arrow-npz \\d+\\.\\d+\\.\\d+.*"), v.out);
    assertEquals("Apache Arrow Java 18.3.0", versions.get(1), v.out);
    assertTrue(versions.get(2).startsWith("Java " + Runtime.version().feature()), v.out);
    Run h = cli("convert", "--help");
    assertEquals(0, h.exit);
    assertTrue(h.out.contains("Examples:"), h.out);
  }

  @Test
  void inspectPrintsHeaderAndArrowType() throws Exception {
    Run r = cli("inspect", Fixtures.path("npy/f2d_i8.npy").toString(), "--json");
    assertEquals(0, r.exit, r.err);
    JsonNode info = new ObjectMapper().readTree(r.out);
    assertEquals("<i8", info.get("descr").asText());
    assertEquals(9, info.get("shape").get(0).asInt());
    assertEquals(5, info.get("shape").get(1).asInt());
    assertTrue(info.get("fortran_order").asBoolean());
    assertEquals("fixed_shape_tensor[value_type=int64, shape=[5]]", info.get("arrow_type").asText());
    Run text = cli("inspect", Fixtures.path("npy/le_M8_ns.npy").toString());
    assertEquals(0, text.exit);
    assertTrue(text.out.contains("timestamp[ns]"), text.out);
  }

  @Test
  void convertRoundTripKeepsDtypeAndValues() throws Exception {
    Path original = Fixtures.path("npy/be_U3.npy");
    Path feather = tmp.resolve("s.feather");
    Path back = tmp.resolve("back.npy");
    Run there = cli("convert", original.toString(), feather.toString());
    assertEquals(0, there.exit, there.err);
    assertTrue(there.out.contains("->"));
    Run home = cli("convert", feather.toString(), back.toString(), "--quiet");
    assertEquals(0, home.exit, home.err);
    assertEquals("", home.out);
    byte[] a = Files.readAllBytes(original);
    byte[] b = Files.readAllBytes(back);
    assertEquals(a.length, b.length);
    assertEquals(new String(a, 128, a.length - 128, StandardCharsets.ISO_8859_1),
        new String(b, 128, b.length - 128, StandardCharsets.ISO_8859_1));
  }

  @Test
  void pyarrowReadsTheConvertedFile() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path feather = tmp.resolve("c.feather");
    assertEquals(0, cli("convert", Fixtures.path("npy/le_c16.npy").toString(), feather.toString()).exit);
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow.feather as f
        t = f.read_table(sys.argv[1])
        got = t.column('le_c16').combine_chunks().flatten().to_numpy().view('<c16')
        assert np.array_equal(got, np.load(sys.argv[2]))
        print('ok')
        """, feather.toString(), Fixtures.path("npy/le_c16.npy").toString());
    assertEquals("ok", out.strip());
  }

  /** A Flight address where a file goes (convert, inspect): the one line says which command reads it. */
  @Test
  void aFlightAddressGivenAsAFileIsPointedToGet() throws Exception {
    for (String[] args : new String[][] {{"convert", "grpc://127.0.0.1:8815/frames/x.npz", tmp.resolve("x.feather")
        .toString()}, {"inspect", "grpc+tls://host:8815/parts"}}) {
      Run r = cli(args);
      assertEquals(1, r.exit, r.err);
      assertEquals(1, r.err.strip().lines().count(), r.err);
      assertTrue(r.err.strip().endsWith("no such file (an Arrow Flight address: read it with arrow-npz get "
          + "ADDRESS OUT)"), r.err);
    }
  }

  @Test
  void badInputIsOneLineAndExitOne() throws Exception {
    Path bad = Fixtures.path("bad/truncated_data.npy");
    Run r = cli("convert", bad.toString(), tmp.resolve("x.feather").toString());
    assertEquals(1, r.exit);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.startsWith("arrow-npz: " + bad + ": truncated data"), r.err);
    assertFalse(Files.exists(tmp.resolve("x.feather")), "no partial output");
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count(), "no temporary file left behind");
    }
    Run debug = cli("inspect", bad.toString(), "--debug");
    assertEquals(1, debug.exit);
    assertTrue(debug.err.contains("at io.arrownpz"), "stack trace with --debug");
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertEquals(2, cli().exit);
    assertEquals(2, cli("inspect").exit);
    assertEquals(2, cli("convert", "a.npy", "b.unknown").exit);
    assertEquals(2, cli("frobnicate").exit);
  }

  /**
   * An .npy holds one column: the table's others may be of types NumPy has not (a zoned timestamp here),
   * and only the chosen one must fit.
   */
  @Test
  void multiColumnTableNeedsAColumnChoice() throws Exception {
    PythonPeer.require("pyarrow", "numpy");
    Path feather = tmp.resolve("three.feather");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        f.write_feather(pa.table({'a': [1, 2], 'b': [0.5, 1.5],
                                  't': pa.array([0, 1], pa.timestamp('us', tz='Asia/Tokyo'))}), sys.argv[1])
        """, feather.toString());
    Run r = cli("convert", feather.toString(), tmp.resolve("x.npy").toString());
    assertEquals(1, r.exit);
    assertTrue(r.err.contains("--column"), r.err);
    Run ok = cli("convert", feather.toString(), tmp.resolve("b.npy").toString(), "--column", "b");
    assertEquals(0, ok.exit, ok.err);
    assertEquals("[0.5, 1.5]", PythonPeer.run("import sys, numpy as np; print(np.load(sys.argv[1]).tolist())",
        tmp.resolve("b.npy").toString()).strip());
    Run zoned = cli("convert", feather.toString(), tmp.resolve("t.npy").toString(), "--column", "t");
    assertEquals(1, zoned.exit);
    assertTrue(zoned.err.contains("column 't': timestamp with time zone Asia/Tokyo"), zoned.err);
  }

  @Test
  void inspectListsArchiveMembersAndLayout() throws Exception {
    Run r = cli("inspect", Fixtures.path("npz/packed_events.npz").toString(), "--json");
    assertEquals(0, r.exit, r.err);
    JsonNode info = new ObjectMapper().readTree(r.out);
    assertEquals("packed", info.get("layout").asText());
    JsonNode first = info.get("members").get(0);
    assertEquals("__offsets__.npy", first.get("name").asText());
    assertEquals("<i4", first.get("descr").asText());
    assertEquals("stored", first.get("compression").asText());
    assertEquals(193, first.get("data_offset").asLong());
    assertFalse(first.get("aligned").asBoolean());
    Run frame = cli("inspect", Fixtures.path("sf/simple.npz").toString());
    assertEquals(0, frame.exit, frame.err);
    assertTrue(frame.out.contains("layout        frame"), frame.out);
  }

  @Test
  void npzConvertsWithCompressionAlignmentAndMembers() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path feather = tmp.resolve("events.feather");
    Path aligned = tmp.resolve("aligned.npz");
    Path deflated = tmp.resolve("deflated.npz");
    assertEquals(0, cli("convert", Fixtures.path("npz/packed_events.npz").toString(), feather.toString()).exit);
    Run a = cli("convert", feather.toString(), aligned.toString(), "--align", "64");
    assertEquals(0, a.exit, a.err);
    Run d = cli("convert", feather.toString(), deflated.toString(), "--compression", "deflate");
    assertEquals(0, d.exit, d.err);
    Run inspect = cli("inspect", aligned.toString(), "--json");
    for (JsonNode m : new ObjectMapper().readTree(inspect.out).get("members")) {
      if (m.has("aligned")) {
        assertTrue(m.get("aligned").asBoolean(), m.toString());
      }
    }
    Path one = tmp.resolve("c3.feather");
    Run member = cli("convert", Fixtures.path("npz/stored.npz").toString(), one.toString(), "--member", "c3");
    assertEquals(0, member.exit, member.err);
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow.feather as f, zipfile
        feather, aligned, deflated, one, original = sys.argv[1:]
        t = f.read_table(feather)
        assert t.column('Value').to_pylist()[2] == [] and len(t.column('Value').to_pylist()[0]) == 5
        for path, kind in [(aligned, zipfile.ZIP_STORED), (deflated, zipfile.ZIP_DEFLATED)]:
            z = np.load(path)
            assert z['__offsets__'].tolist() == [0, 5, 7, 7, 9]
            assert z['EventName'][2] == 'Checkout'
            assert {i.compress_type for i in zipfile.ZipFile(path).infolist() if i.filename.endswith('.npy')} == {kind}
        c3 = f.read_table(one).column('c3').to_numpy()
        assert np.array_equal(c3, np.load(original)['c3'], equal_nan=True)
        print('ok')
        """, feather.toString(), aligned.toString(), deflated.toString(), one.toString(),
        Fixtures.path("npz/stored.npz").toString());
    assertEquals("ok", out.strip());
    Run bad = cli("convert", feather.toString(), tmp.resolve("x.npz").toString(), "--align", "3");
    assertEquals(2, bad.exit);
  }

  @Test
  void badArchivesExitOneNamingTheMember() throws Exception {
    Run r = cli("convert", Fixtures.path("bad/bad_crc.npz").toString(), tmp.resolve("x.feather").toString());
    assertEquals(1, r.exit);
    assertTrue(r.err.startsWith("arrow-npz: " + Fixtures.path("bad/bad_crc.npz") + ": a.npy: CRC-32 mismatch"), r.err);
  }

  @Test
  void framesConvertAndInspect() throws Exception {
    PythonPeer.require("numpy", "pandas", "pyarrow");
    Path feather = tmp.resolve("simple.feather");
    Path back = tmp.resolve("simple.npz");
    Path dir = tmp.resolve("simple-dir");
    Path plain = tmp.resolve("plain.feather");
    Path framed = tmp.resolve("framed.npz");
    Path frame = Fixtures.path("sf/simple.npz");
    assertEquals(0, cli("convert", frame.toString(), feather.toString()).exit);
    assertEquals(0, cli("convert", feather.toString(), back.toString()).exit);
    Run toDir = cli("convert", frame.toString(), dir + "/", "--to", "npy-dir");
    assertEquals(0, toDir.exit, toDir.err);
    Run again = cli("convert", frame.toString(), dir + "/", "--to", "npy-dir");
    assertEquals(1, again.exit, "an existing output needs --overwrite");
    assertTrue(again.err.contains("exists; pass --overwrite to replace it"), again.err);
    Run replaced = cli("convert", frame.toString(), dir + "/", "--to", "npy-dir", "--overwrite");
    assertEquals(0, replaced.exit, replaced.err);
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        f.write_feather(pa.table({'day': pa.array([1, 2, 3], pa.int64()), 'v': [0.5, 1.5, 2.5], 'w': [1.0, 2.0, 3.0]}), sys.argv[1])
        """, plain.toString());
    Run asFrame = cli("convert", plain.toString(), framed.toString(), "--layout", "frame", "--index", "day");
    assertEquals(0, asFrame.exit, asFrame.err);
    Run inspect = cli("inspect", dir.toString(), "--json");
    assertEquals(0, inspect.exit, inspect.err);
    JsonNode summary = new ObjectMapper().readTree(inspect.out).get("frame");
    assertEquals(9, summary.get("shape").get(0).asInt());
    assertEquals(4, summary.get("shape").get(1).asInt());
    assertEquals("IndexDate", summary.get("index").get("class").asText());
    assertEquals(4, summary.get("blocks").size());
    Run text = cli("inspect", framed.toString());
    assertTrue(text.out.contains("layout        frame"), text.out);
    assertTrue(text.out.contains("__blocks_0__.npy     <f8        (3, 2)         F"), text.out);
    String out = PythonPeer.run("""
        import sys, json, numpy as np, pyarrow.feather as f
        original, feather, back, d, framed = sys.argv[1:]
        a, b = np.load(original), np.load(back)
        assert a['__meta__.json'].tobytes() if hasattr(a['__meta__.json'], 'tobytes') else True
        assert sorted(a.files) == sorted(b.files), (a.files, b.files)
        for k in a.files:
            if k != '__meta__.json':
                x, y = a[k], b[k]
                assert x.dtype == y.dtype and x.tolist() == y.tolist() or (x.dtype.kind == 'f' and np.array_equal(x, y, equal_nan=True)), k
        assert np.load(d + '/__blocks_0__.npy').tolist() == a['__blocks_0__'].tolist()
        df = f.read_feather(feather)
        assert df.index.name == 'date' and list(df.columns) == ['a', 'b', 'c', 'd']
        z = np.load(framed)
        assert json.loads(z.zip.read('__meta__.json')) == {'__names__': [None, 'day', None], '__types__': ['Index', 'Index'], '__depths__': [1, 1, 1]}
        assert z['__values_index_0__'].tolist() == [1, 2, 3] and z['__values_columns_0__'].tolist() == ['v', 'w']
        assert np.isfortran(z['__blocks_0__']) and z['__blocks_0__'][:, 1].tolist() == [1.0, 2.0, 3.0]
        print('ok')
        """, frame.toString(), feather.toString(), back.toString(), dir.toString(), framed.toString());
    assertEquals("ok", out.strip());
  }

  @Test
  void directoriesConvertInParallel() throws Exception {
    PythonPeer.require("pyarrow");
    Path in = tmp.resolve("in");
    java.nio.file.Files.createDirectories(in);
    for (String f : List.of("npz/packed_events.npz", "npz/many_members.npz", "sf/hierarchy.npz", "npy/le_f8.npy",
        "bad/bad_crc.npz")) {
      java.nio.file.Files.copy(Fixtures.path(f), in.resolve(Path.of(f).getFileName()));
    }
    Path out = tmp.resolve("out");
    Run r = cli("convert", in.toString(), out.toString(), "--to", "parquet", "--threads", "2");
    assertEquals(1, r.exit, "one input is broken");
    assertTrue(r.out.contains("4 of 5 files converted"), r.out);
    assertTrue(r.err.contains("bad_crc.npz: a.npy: CRC-32 mismatch"), r.err);
    Run noFormat = cli("convert", in.toString(), out.toString());
    assertEquals(2, noFormat.exit);
    String check = PythonPeer.run("""
        import sys, os, pyarrow.parquet as pq
        d = sys.argv[1]
        names = sorted(os.listdir(d))
        assert names == ['hierarchy.parquet', 'le_f8.parquet', 'many_members.parquet', 'packed_events.parquet'], names
        assert pq.read_table(os.path.join(d, 'many_members.parquet')).num_columns == 340
        assert pq.read_table(os.path.join(d, 'packed_events.parquet')).column('EventName').to_pylist()[1] == ['Login', 'View']
        print('ok')
        """, out.toString());
    assertEquals("ok", check.strip());
  }

  @Test
  void inspectArrowFormats() throws Exception {
    Path parquet = tmp.resolve("s.parquet");
    Path arrows = tmp.resolve("s.arrows");
    assertEquals(0, cli("convert", Fixtures.path("sf/simple.npz").toString(), parquet.toString()).exit);
    assertEquals(0, cli("convert", parquet.toString(), arrows.toString(), "--compression", "zstd").exit);
    for (Path file : List.of(parquet, arrows)) {
      Run r = cli("inspect", file.toString(), "--json");
      assertEquals(0, r.exit, r.err);
      JsonNode info = new ObjectMapper().readTree(r.out);
      assertEquals(9, info.get("rows").asInt(), file.toString());
      assertEquals("date", info.get("fields").get(0).get("name").asText());
      assertEquals("<M8[D]", info.get("fields").get(0).get("numpy_descr").asText());
      assertEquals("string", info.get("fields").get(3).get("arrow_type").asText());
      assertTrue(info.get("schema_metadata").toString().contains("pandas"), r.out);
    }
    Run text = cli("inspect", parquet.toString());
    assertTrue(text.out.contains("rows          9 in 1 batch"), text.out);
  }

  /** Parquet output is Snappy unless --compression says zstd or none; other codecs are a usage error. */
  @Test
  void parquetCompressionIsChosen() throws Exception {
    Path in = Fixtures.path("sf/simple.npz");
    assertEquals(0, cli("convert", in.toString(), tmp.resolve("default.parquet").toString()).exit);
    assertEquals(0, cli("convert", in.toString(), tmp.resolve("zstd.parquet").toString(), "--compression", "zstd").exit);
    assertEquals(0, cli("convert", in.toString(), tmp.resolve("none.parquet").toString(), "--compression", "none").exit);
    Run lz4 = cli("convert", in.toString(), tmp.resolve("lz4.parquet").toString(), "--compression", "lz4");
    assertEquals(2, lz4.exit);
    assertTrue(lz4.err.contains("--compression for Parquet must be snappy, zstd or none, not 'lz4'"), lz4.err);
    assertTrue(!java.nio.file.Files.exists(tmp.resolve("lz4.parquet")));
    // Streamed to a pipe: the compressed file arrives whole on stdout.
    Process piped = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("arrownpz.cli.jar"), "convert", in.toString(), "/dev/stdout", "--to", "parquet",
        "--compression", "zstd", "-q").redirectOutput(tmp.resolve("piped.parquet").toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(piped.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, piped.exitValue());
    String check = PythonPeer.run("""
        import sys, os, pyarrow.parquet as pq
        d = sys.argv[1]
        for name, codec in [('default', 'SNAPPY'), ('zstd', 'ZSTD'), ('none', 'UNCOMPRESSED'), ('piped', 'ZSTD')]:
            f = pq.ParquetFile(os.path.join(d, name + '.parquet'))
            md = f.metadata
            assert {md.row_group(0).column(c).compression for c in range(md.num_columns)} == {codec}, name
            df = f.read().to_pandas()
            assert len(df) == 9, (name, len(df))
        print('ok')
        """, tmp.toString());
    assertEquals("ok", check.strip());
  }

  /** Inputs are known by their first bytes, whatever their names; what is unknown is bad input, exit 1. */
  @Test
  void inputsAreKnownByTheirContents() throws Exception {
    Path npy = tmp.resolve("matrix");
    Files.copy(Fixtures.path("npy/f2d_i8.npy"), npy);
    Path feather = tmp.resolve("table.dat");
    Run toFeather = cli("convert", npy.toString(), feather.toString(), "--to", "feather", "-q");
    assertEquals(0, toFeather.exit, toFeather.err);
    Path stream = tmp.resolve("stream.bin");
    assertEquals(0, cli("convert", feather.toString(), stream.toString(), "--to", "arrows", "-q").exit);
    Path parquet = tmp.resolve("export.data");
    assertEquals(0, cli("convert", stream.toString(), parquet.toString(), "--to", "parquet", "-q").exit);
    for (Object[] expected : new Object[][] {{npy, "npy"}, {feather, "feather"}, {stream, "arrows"},
        {parquet, "parquet"}}) {
      Run r = cli("inspect", expected[0].toString(), "--json");
      assertEquals(0, r.exit, r.err);
      assertTrue(new ObjectMapper().readTree(r.out).get("format").asText().startsWith((String) expected[1]), r.out);
    }
    Path back = tmp.resolve("back.npy");
    Run home = cli("convert", parquet.toString(), back.toString(), "-q");
    assertEquals(0, home.exit, home.err);
    Path junk = tmp.resolve("notes.txt");
    Files.writeString(junk, "not data at all");
    Run bad = cli("inspect", junk.toString());
    assertEquals(1, bad.exit);
    assertEquals(1, bad.err.strip().lines().count(), bad.err);
    assertTrue(bad.err.contains(junk + ": not a file arrow-npz reads"), bad.err);
    // A folder is described as the one table its files make; these files are not one table.
    Run folder = cli("inspect", tmp.toString());
    assertEquals(1, folder.exit);
    assertEquals(1, folder.err.strip().lines().count(), folder.err);
    assertTrue(folder.err.contains(tmp + ": its parts differ in columns: "), folder.err);
  }

  /**
   * Outputs as Unix users expect: /dev/stdout is streamed to (the bytes arrive on stdout, the summary on
   * stderr), a symlink is written through and stays a link, /dev/null stays a device.
   */
  @Test
  void streamsAndLinksAreWrittenThroughNotReplaced() throws Exception {
    Path input = Fixtures.path("npy/le_i4.npy");
    String jar = System.getProperty("arrownpz.cli.jar");
    Path stdout = tmp.resolve("stdout.feather");
    Path stderr = tmp.resolve("stderr.txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
        "convert", input.toString(), "/dev/stdout", "--to", "feather")
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(stderr));
    byte[] bytes = Files.readAllBytes(stdout);
    assertTrue(bytes.length > 12 && new String(bytes, 0, 6, StandardCharsets.US_ASCII).equals("ARROW1")
        && new String(bytes, bytes.length - 6, 6, StandardCharsets.US_ASCII).equals("ARROW1"), "not a Feather file");
    assertTrue(Files.readString(stderr).contains("-> /dev/stdout (streamed"), Files.readString(stderr));
    Run back = cli("inspect", stdout.toString(), "--json");
    assertEquals(0, back.exit(), back.err());

    Path real = tmp.resolve("real.parquet");
    Files.writeString(real, "old");
    Path link = Files.createSymbolicLink(tmp.resolve("link.parquet"), Path.of("real.parquet"));
    Run toLink = cli("convert", input.toString(), link.toString(), "-q", "--overwrite"); // real.parquet exists
    assertEquals(0, toLink.exit(), toLink.err());
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("PAR1", new String(Files.readAllBytes(real), 0, 4, StandardCharsets.US_ASCII));
    Run toNull = cli("convert", input.toString(), "/dev/null", "--to", "npz", "-q");
    assertEquals(0, toNull.exit(), toNull.err());
    assertFalse(Files.isRegularFile(Path.of("/dev/null")));
  }

  /** One rule for existing outputs, every command and format: refused unless --overwrite, checked first. */
  @Test
  void existingOutputsAreRefusedUnlessOverwrite() throws Exception {
    Path input = Fixtures.path("npy/le_i4.npy");
    for (String ext : List.of(".npy", ".npz", ".feather", ".arrows", ".parquet")) {
      Path out = tmp.resolve("existing" + ext);
      Files.writeString(out, "mine");
      Run refused = cli("convert", input.toString(), out.toString(), "-q");
      assertEquals(1, refused.exit, ext);
      assertEquals("arrow-npz: " + out + ": exists; pass --overwrite to replace it", refused.err.strip());
      assertEquals("mine", Files.readString(out), "an output was clobbered without --overwrite");
      Run replaced = cli("convert", input.toString(), out.toString(), "-q", "--overwrite");
      assertEquals(0, replaced.exit, replaced.err);
      assertFalse(Files.readString(out, StandardCharsets.ISO_8859_1).equals("mine"));
    }
    // A directory run checks every output before converting any.
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.copy(input, in.resolve("a.npy"));
    Files.copy(input, in.resolve("b.npy"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("b.feather"), "mine");
    Run dir = cli("convert", in.toString(), out.toString(), "--to", "feather");
    assertEquals(1, dir.exit);
    assertTrue(dir.err.contains("b.feather: exists; pass --overwrite"), dir.err);
    assertFalse(Files.exists(out.resolve("a.feather")), "work started before every output was checked");
    // pack and unpack follow the same rule.
    Path events = tmp.resolve("events.parquet");
    assertEquals(0, cli("convert", input.toString(), events.toString(), "-q").exit);
    Path packed = tmp.resolve("packed.parquet");
    Files.writeString(packed, "mine");
    Run pack = cli("pack", events.toString(), packed.toString(), "--key", "le_i4");
    assertEquals(1, pack.exit);
    assertEquals("mine", Files.readString(packed));
  }

  /** "-" reads standard input (spooled, its format sniffed or named with --from) and writes standard output (--to). */
  @Test
  void dashIsStandardInputAndOutput() throws Exception {
    Path parquet = tmp.resolve("in.parquet");
    assertEquals(0, cli("convert", Fixtures.path("npy/le_i4.npy").toString(), parquet.toString(), "-q").exit);
    String jar = System.getProperty("arrownpz.cli.jar");
    Path stdout = tmp.resolve("stdout.arrows");
    Path stderr = tmp.resolve("stderr.txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
        "convert", "-", "-", "--from", "parquet", "--to", "arrows")
        .redirectInput(parquet.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(stderr));
    assertTrue(Files.readString(stderr).contains("- -> - (streamed"), Files.readString(stderr));
    Run back = cli("inspect", stdout.toString(), "--json");
    assertEquals(0, back.exit(), back.err());
    assertEquals("arrows", new ObjectMapper().readTree(back.out()).get("format").asText());
    assertEquals(8, new ObjectMapper().readTree(back.out()).get("rows").asInt());
    // Without --from, standard input's format is told by its first bytes, as a pipe's is.
    Path npz = tmp.resolve("x.npz");
    Run sniffed = cliReading(parquet, "convert", "-", npz.toString(), "-q");
    assertEquals(0, sniffed.exit(), sniffed.err());
    Run read = cli("inspect", npz.toString(), "--json");
    JsonNode member = new ObjectMapper().readTree(read.out()).get("members").get(0);
    assertEquals(8, member.get("elements").asInt(), read.out());
    Path text = Files.writeString(tmp.resolve("text.txt"), "hello, not a table\n");
    Run unknown = cliReading(text, "convert", "-", tmp.resolve("y.npz").toString());
    assertEquals(1, unknown.exit());
    assertEquals("arrow-npz: <stdin>: " + io.arrownpz.bridge.FileFormat.UNKNOWN_INPUT + "; name its format with --from",
        unknown.err().strip());
    assertFalse(Files.exists(tmp.resolve("y.npz")));
  }

  /**
   * A pandas categorical column (dictionary<string>) packed: to NPZ refused as convert refuses it, naming
   * the column and --nearest-dtype, and written as its values with that option; to Feather and Parquet
   * decoded into lists of its values, the schema's metadata saying which columns were dictionaries.
   */
  @Test
  void packSaysWhatItDoesWithADictionaryColumn() throws Exception {
    PythonPeer.require("pandas", "pyarrow");
    Path events = tmp.resolve("events.parquet");
    PythonPeer.run("""
        import sys, pandas as pd
        pd.DataFrame({'session': [1, 1, 2, 2, 2], 'kind': pd.Categorical(['a', 'b', 'a', 'c', 'a']),
                      'v': [1.0, 2, 3, 4, 5]}).to_parquet(sys.argv[1])
        """, events.toString());
    Path npz = tmp.resolve("packed.npz");
    Run refused = cli("pack", events.toString(), npz.toString(), "--key", "session");
    Run convertRefused = cli("convert", events.toString(), tmp.resolve("plain.npz").toString());
    assertEquals(1, refused.exit());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertTrue(refused.err().contains("column 'kind'") && refused.err().contains("dictionary-encoded")
        && refused.err().contains("--nearest-dtype"), refused.err());
    assertTrue(convertRefused.err().contains("column 'kind': dictionary-encoded"), convertRefused.err());
    assertFalse(Files.exists(npz));
    assertEquals(0, cli("pack", events.toString(), npz.toString(), "--key", "session", "--nearest-dtype", "-q").exit());
    Path feather = tmp.resolve("packed.feather");
    Path parquet = tmp.resolve("packed.parquet");
    assertEquals(0, cli("pack", events.toString(), feather.toString(), "--key", "session", "-q").exit());
    assertEquals(0, cli("pack", events.toString(), parquet.toString(), "--key", "session", "-q").exit());
    String out = PythonPeer.run("""
        import sys, numpy as np, pyarrow.feather as f, pyarrow.parquet as pq
        for t in (f.read_table(sys.argv[1]), pq.read_table(sys.argv[2])):
            field = t.schema.field('kind')
            assert str(field.type.value_type) == 'string', field
            assert t.schema.metadata[b'arrownpz.decoded_dictionaries'] == b'["kind"]', t.schema.metadata
            assert t.column('kind').to_pylist() == [['a', 'b'], ['a', 'c', 'a']], t
        z = np.load(sys.argv[3])
        assert z['kind'].tolist() == ['a', 'b', 'a', 'c', 'a'], z['kind']
        print('ok')
        """, feather.toString(), parquet.toString(), npz.toString());
    assertEquals("ok", out.strip());
  }

  /**
   * np.savez of arrays of different lengths: inspect says it is a set of tables, convert to one file says
   * what would carry it, and convert into a directory writes a file per member that pyarrow reads.
   */
  @Test
  void anArchiveOfArraysOfDifferentLengthsConvertsIntoADirectory() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path npz = tmp.resolve("weights.npz");
    PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1], w1=np.ones((4, 3)), b1=np.zeros(3), w2=np.arange(6.0))
        """, npz.toString());
    Run inspect = cli("inspect", npz.toString());
    assertEquals(0, inspect.exit(), inspect.err());
    assertTrue(inspect.out().contains("tables        3, one per member"), inspect.out());
    Run json = cli("inspect", npz.toString(), "--json");
    assertEquals("[\"w1\",\"b1\",\"w2\"]", new ObjectMapper().readTree(json.out()).get("tables").toString());
    Run one = cli("convert", npz.toString(), tmp.resolve("w.feather").toString());
    assertEquals(1, one.exit());
    assertTrue(one.err().contains("set of tables") && one.err().contains("into a directory"), one.err());
    Path out = tmp.resolve("out");
    Run into = cli("convert", npz.toString(), out + "/", "--to", "feather", "-q");
    assertEquals(0, into.exit(), into.err());
    String read = PythonPeer.run("""
        import sys, numpy as np, pyarrow.feather as f
        z = np.load(sys.argv[1])
        for k in ('w1', 'b1', 'w2'):
            t = f.read_table(sys.argv[2] + '/weights/' + k + '.feather')
            assert t.num_rows == len(z[k]), (k, t.num_rows)
        print('ok')
        """, npz.toString(), out.toString());
    assertEquals("ok", read.strip());
  }

  /**
   * The hostile files (fixtures/hostile) under a 256 MiB heap and 256 MiB of direct memory, to every
   * target: exit 1 and one line naming the file (and, for the stream whose offsets lie, the column), no
   * OutOfMemoryError, no stack trace, no output.
   */
  @Test
  void hostileFilesGetOneLineUnderASmallHeap() throws Exception {
    String jar = System.getProperty("arrownpz.cli.jar");
    for (String file : List.of("parquet-arrow-schema-claims-1gib.parquet", "stream-leaks-after-error.arrows")) {
      Path input = Fixtures.path("hostile/" + file);
      for (String to : List.of("feather", "arrows", "parquet", "npz")) {
        Path out = tmp.resolve("hostile." + to);
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-jar", jar,
            "convert", input.toString(), out.toString())
            .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String message = Files.readString(err).strip();
        assertEquals(1, p.exitValue(), file + " to " + to + ": " + message);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("arrow-npz: " + input + ": "), message);
        if (file.endsWith(".arrows")) {
          assertTrue(message.contains("column 's': offset 10 (-1)"), message);
        }
        assertFalse(Files.exists(out));
      }
    }
  }

  /**
   * Bad input on standard input is named {@code <stdin>}, not by the temporary file it was spooled to; a
   * Feather V1 file (pyarrow writes it with version=1, as pandas did before pyarrow 0.17) is named as such,
   * by name or by its FEA1 signature alone.
   */
  @Test
  void badStandardInputIsNamedStdinAndFeatherV1IsNamed() throws Exception {
    PythonPeer.require("pyarrow");
    Path v1 = tmp.resolve("old.feather");
    PythonPeer.run("""
        import sys, warnings, pyarrow as pa, pyarrow.feather as feather
        warnings.simplefilter('ignore')
        feather.write_feather(pa.table({'a': [1, 2, 3], 's': ['x', None, 'z']}), sys.argv[1], version=1)
        """, v1.toString());
    Path out = tmp.resolve("out.arrows");
    Run piped = cliReading(v1, "convert", "-", out.toString(), "--from", "feather");
    assertEquals(1, piped.exit());
    assertEquals(1, piped.err().strip().lines().count(), piped.err());
    assertTrue(piped.err().startsWith("arrow-npz: <stdin>: a Feather V1 file, which arrow-npz does not read"), piped.err());
    assertFalse(Files.exists(out));

    Path unnamed = Files.copy(v1, tmp.resolve("old.bin"));
    Run inspect = cli("inspect", unnamed.toString());
    assertEquals(1, inspect.exit());
    assertTrue(inspect.err().startsWith("arrow-npz: " + unnamed + ": a Feather V1 file"), inspect.err());

    Path cut = tmp.resolve("cut.npz");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(Fixtures.path("npz/many_members.npz")), 300));
    for (String[] kind : new String[][] {{"npz", "not a ZIP archive"}, {"parquet", ""}, {"arrows", ""}, {"npy", ""}}) {
      Run bad = cliReading(cut, "convert", "-", out.toString(), "--from", kind[0]);
      assertEquals(1, bad.exit(), kind[0] + ": " + bad.err());
      assertTrue(bad.err().startsWith("arrow-npz: <stdin>: " + kind[1]), kind[0] + ": " + bad.err());
      assertFalse(bad.err().contains(System.getProperty("java.io.tmpdir")), bad.err());
      assertFalse(Files.exists(out));
    }
  }

  /**
   * Inputs that can be read only once: a named pipe (its format sniffed from its bytes) and a shell's
   * process substitution ({@code <(...)}, a pipe at /dev/fd/N) are read through, where they were refused as
   * "no such file"; pyarrow reads back what came of its own Parquet file, and messages name the pipe.
   */
  @Test
  void namedPipesAndProcessSubstitutionsAreReadThrough() throws Exception {
    PythonPeer.require("pyarrow");
    Path parquet = tmp.resolve("peer.parquet");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.parquet as pq
        pq.write_table(pa.table({'i': list(range(5000)), 's': ['v%d' % i if i % 7 else None for i in range(5000)]}),
                       sys.argv[1], row_group_size=1000)
        """, parquet.toString());
    Path fifo = tmp.resolve("incoming");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    Process writer = new ProcessBuilder("bash", "-c", "cat '" + parquet + "' > '" + fifo + "'").start();
    Path out = tmp.resolve("from_fifo.arrows");
    try {
      Run convert = cli("convert", fifo.toString(), out.toString(), "-q");
      assertEquals(0, convert.exit(), convert.err());
      assertTrue(writer.waitFor(60, TimeUnit.SECONDS));
    } finally {
      writer.destroyForcibly(); // a writer nobody read from would wait on the pipe forever
    }
    String same = PythonPeer.run("""
        import sys, pyarrow.ipc as ipc, pyarrow.parquet as pq
        print(ipc.open_stream(sys.argv[1]).read_all().equals(pq.read_table(sys.argv[2])))
        """, out.toString(), parquet.toString());
    assertEquals("True", same.strip(), "the stream holds the Parquet file's table");

    // In a directory converted whole, a pipe is not a file to convert: passed over, not waited on.
    Path exports = Files.createDirectory(tmp.resolve("exports"));
    Files.copy(parquet, exports.resolve("a.parquet"));
    assertEquals(0, new ProcessBuilder("mkfifo", exports.resolve("b.parquet").toString()).start().waitFor());
    Run whole = cli("convert", exports.toString(), tmp.resolve("converted").toString(), "--to", "arrows", "-q");
    assertEquals(0, whole.exit(), whole.err());
    try (var files = Files.list(tmp.resolve("converted"))) {
      assertEquals(List.of("a.arrows"), files.map(p -> p.getFileName().toString()).toList());
    }

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("arrownpz.cli.jar");
    Path shown = tmp.resolve("inspect.out");
    Process p = new ProcessBuilder("bash", "-c", "'" + java + "' -jar '" + jar + "' inspect <(cat '" + parquet
        + "') && '" + java + "' -jar '" + jar + "' inspect <(head -c 100 '" + parquet + "') --from parquet")
        .redirectErrorStream(true).redirectOutput(shown.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    List<String> lines = Files.readAllLines(shown);
    assertTrue(lines.get(0).matches("file +/dev/fd/\\d+"), lines.toString());
    assertTrue(lines.contains("rows          5,000 in 5 batches"), lines.toString());
    String last = lines.get(lines.size() - 1);
    assertTrue(last.matches("arrow-npz: /dev/fd/\\d+: not a readable Parquet file.*"), last);
    assertFalse(last.contains(System.getProperty("java.io.tmpdir") + "/arrow-npz-"), last);

    // Several inputs: two pipes and a file whose name does not tell its format, each known by its bytes; a
    // file of no known signature is named in one line (it was a NullPointerException's message).
    Path unnamed = Files.copy(parquet, tmp.resolve("export.bin"));
    Path junk = Files.writeString(tmp.resolve("notes.bin"), "not data");
    Path many = tmp.resolve("many.out");
    Process several = new ProcessBuilder("bash", "-c", "'" + java + "' -jar '" + jar + "' convert <(cat '" + parquet
        + "') <(cat '" + parquet + "') '" + unnamed + "' '" + junk + "' '" + tmp.resolve("several") + "' --to arrows")
        .redirectErrorStream(true).redirectOutput(many.toFile()).start();
    assertTrue(several.waitFor(120, TimeUnit.SECONDS));
    String said = Files.readString(many);
    assertEquals(1, several.exitValue(), said);
    assertTrue(said.contains("arrow-npz: " + junk + ": not a file arrow-npz reads"), said);
    assertTrue(said.contains("3 of 4 files converted"), said);
    try (var files = Files.list(tmp.resolve("several"))) {
      List<String> written = files.map(f -> f.getFileName().toString()).sorted().toList();
      assertEquals(3, written.size(), written.toString());
      assertTrue(written.contains("export.arrows"), written.toString());
    }
  }

  /**
   * SIGTERM while Arrow C++ writes Parquet: the command ends (exit 143) with one line, leaving nothing in
   * the output's directory. It hung there for good: the JVM's exit ran Arrow C++'s destructors, whose
   * thread pool waited for workers that waited to attach to the exiting JVM. Nothing is left in the
   * temporary folder either: the exit skips {@code deleteOnExit}, to which Arrow's loaders leave the copies
   * of their native libraries (76 MB for the dataset library).
   */
  @Test
  void aSignalMidParquetWriteEndsTheCommandAndLeavesNothing() throws Exception {
    Path big = bigFeather();
    Path out = Files.createDirectory(tmp.resolve("out"));
    Path temp = Files.createDirectory(tmp.resolve("temp")); // where Arrow's loader copies its native libraries
    Path err = tmp.resolve("err.txt");
    int exit = stoppedMidWrite(List.of("-Djava.io.tmpdir=" + temp, "-jar", System.getProperty("arrownpz.cli.jar"),
        "convert", big.toString(), out.resolve("big.parquet").toString(), "--compression", "zstd", "-q"), err,
        () -> !isEmpty(out));
    assertEquals(143, exit, Files.readString(err));
    assertEquals("arrow-npz: stopped by SIGTERM; no partial output was left", Files.readString(err).strip());
    assertEquals(List.of(), listing(out), "left behind");
    assertEquals(List.of(), listing(temp), "left in the temporary folder");
  }

  /**
   * SIGTERM while writing Parquet through a symbolic link: the file the link names keeps its old bytes, the
   * link stays a link to it, and neither its folder nor the link's holds anything new.
   */
  @Test
  void aSignalWhileWritingThroughALinkLeavesItsTargetAsItWas() throws Exception {
    Path big = bigFeather();
    Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    Path real = elsewhere.resolve("real.parquet");
    Files.writeString(real, "old");
    Path out = Files.createDirectory(tmp.resolve("out"));
    Path link = Files.createSymbolicLink(out.resolve("link.parquet"), real);
    Path temp = Files.createDirectory(tmp.resolve("temp"));
    Path err = tmp.resolve("err.txt");
    int exit = stoppedMidWrite(List.of("-Djava.io.tmpdir=" + temp, "-jar", System.getProperty("arrownpz.cli.jar"),
        "convert", big.toString(), link.toString(), "--overwrite", "--compression", "zstd", "-q"), err,
        () -> entries(elsewhere) > 1); // the partial output appears beside the link's target
    assertEquals(143, exit, Files.readString(err));
    assertTrue(Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(real), "the link was replaced");
    assertEquals("old", Files.readString(real));
    assertEquals(List.of(real), listing(elsewhere));
    assertEquals(List.of(link), listing(out));
    assertEquals(List.of(), listing(temp), "left in the temporary folder");
  }

  /**
   * SIGKILL mid-write, where nothing of ours runs: the copies of native libraries that Arrow's loader wrote
   * to the temporary folder are gone all the same (removed once loaded), where each such kill left 76 MB.
   * The partial output stays, as a kill must leave it (the next write beside it clears it, KilledWritesIT).
   */
  @Test
  void aKilledParquetWriteLeavesNoLibraryCopyInTheTemporaryFolder() throws Exception {
    Path big = bigFeather();
    Path out = Files.createDirectory(tmp.resolve("out"));
    Path temp = Files.createDirectory(tmp.resolve("temp"));
    Path err = tmp.resolve("err.txt");
    int exit = stoppedMidWrite(List.of("-Djava.io.tmpdir=" + temp, "-jar", System.getProperty("arrownpz.cli.jar"),
        "convert", big.toString(), out.resolve("big.parquet").toString(), "--compression", "zstd", "-q"), err,
        () -> !isEmpty(out), true);
    assertEquals(137, exit, Files.readString(err)); // 128 + SIGKILL's 9
    assertEquals(List.of(), listing(temp), "left in the temporary folder");
  }

  private static int stoppedMidWrite(List<String> args, Path err, java.util.concurrent.Callable<Boolean> begun)
      throws Exception {
    return stoppedMidWrite(args, err, begun, false);
  }

  /**
   * Runs {@code java ARGS} (stderr to {@code err}), sends it SIGTERM (or SIGKILL, if {@code kill}) half a
   * second after {@code begun} first holds (its output under way), and returns its exit status.
   */
  private static int stoppedMidWrite(List<String> args, Path err, java.util.concurrent.Callable<Boolean> begun,
      boolean kill) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!begun.call() && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(500); // into the write
      assertTrue(p.isAlive(), "the conversion ended before the signal: " + Files.readString(err));
      if (kill) {
        p.destroyForcibly(); // SIGKILL
      } else {
        p.destroy(); // SIGTERM
      }
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the command did not end after the signal");
    } finally {
      p.destroyForcibly();
    }
    return p.exitValue();
  }

  private static long entries(Path dir) throws IOException {
    return listing(dir).size();
  }

  private static List<Path> listing(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> list = Files.list(dir)) {
      return list.toList();
    }
  }

  /** A Feather file of 12M rows of two float columns (192 MB), which pyarrow writes. */
  private Path bigFeather() {
    PythonPeer.require("pyarrow", "numpy");
    Path big = tmp.resolve("big.feather");
    PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather
        rng = np.random.default_rng(1)
        feather.write_feather(pa.table({'a': rng.random(12_000_000), 'b': rng.random(12_000_000)}), sys.argv[1],
                              compression='uncompressed')
        """, big.toString());
    return big;
  }

  /** A signal while standard input is being spooled removes the spool from the temporary folder too. */
  @Test
  void aSignalWhileReadingStandardInputLeavesNoSpool() throws Exception {
    Path temp = Files.createDirectory(tmp.resolve("temp"));
    Path out = tmp.resolve("out.npz");
    String jar = System.getProperty("arrownpz.cli.jar");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + temp, "-jar", jar, "convert", "-", out.toString(), "--from", "parquet")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("err.txt").toFile()).start();
    try {
      p.getOutputStream().write(Files.readAllBytes(Fixtures.path("npy/le_i4.npy"))); // and more to come, never
      p.getOutputStream().flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (isEmpty(temp) && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(isEmpty(temp), "standard input is spooled into the temporary folder");
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertEquals(143, p.exitValue(), Files.readString(tmp.resolve("err.txt")));
    assertTrue(isEmpty(temp), "left in the temporary folder: " + Files.list(temp).toList());
    assertFalse(Files.exists(out));
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * One input and OUT ending with a slash, or naming a directory: the output goes into it, as cp puts a
   * file into a directory (it was written as a file named OUT, or refused naming a hidden partial file and
   * the directory could only be replaced). --to npy-dir still makes OUT itself the frame.
   */
  @Test
  void oneInputIntoADirectory() throws Exception {
    PythonPeer.require("pyarrow");
    Path input = tmp.resolve("t.parquet");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.parquet as pq
        pq.write_table(pa.table({'x': pa.array([1.5, None, 3.0]), 's': ['a', 'b', 'cc']}), sys.argv[1])
        """, input.toString());
    Run slash = cli("convert", input.toString(), tmp.resolve("new") + "/", "--to", "feather", "-q");
    assertEquals(0, slash.exit, slash.err);
    assertTrue(Files.isDirectory(tmp.resolve("new")));
    Path existing = Files.createDirectory(tmp.resolve("existing"));
    Files.writeString(existing.resolve("kept.txt"), "kept");
    Run into = cli("convert", input.toString(), existing.toString(), "--to", "arrows", "--overwrite", "-q");
    assertEquals(0, into.exit, into.err);
    assertEquals("kept", Files.readString(existing.resolve("kept.txt")));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("existing"));
    Run throughLink = cli("convert", input.toString(), link + "/", "--to", "npz", "-q");
    assertEquals(0, throughLink.exit, throughLink.err);
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("[1.5, None, 3.0] ['a', 'b', 'cc']\n[1.5, None, 3.0] ['a', 'b', 'cc']\n[1.5, nan, 3.0]\n",
        PythonPeer.run("""
            import sys, pyarrow.feather as f, pyarrow.ipc as ipc, numpy as np
            for t in (f.read_table(sys.argv[1]), ipc.open_stream(sys.argv[2]).read_all()):
                print(t['x'].to_pylist(), t['s'].to_pylist())
            print(np.load(sys.argv[3])['x'].tolist())
            """, tmp.resolve("new/t.feather").toString(), existing.resolve("t.arrows").toString(),
            existing.resolve("t.npz").toString()).replace("\r", ""));
    Run frame = cli("convert", input.toString(), tmp.resolve("frame") + "/", "--to", "npy-dir", "-q");
    assertEquals(0, frame.exit, frame.err);
    assertTrue(Files.isRegularFile(tmp.resolve("frame/__meta__.json")), "OUT itself is the NPY directory");
    Run pack = cli("pack", input.toString(), tmp.resolve("packed") + "/", "--key", "s", "--to", "parquet", "-q");
    assertEquals(0, pack.exit, pack.err);
    assertEquals("3\n", PythonPeer.run("import sys, pyarrow.parquet as pq; print(pq.read_table(sys.argv[1]).num_rows)",
        tmp.resolve("packed/t.parquet").toString()).replace("\r", ""));
    Run noTo = cli("convert", input.toString(), tmp.resolve("other") + "/");
    assertEquals(2, noTo.exit);
    assertTrue(noTo.err.contains("needs --to FORMAT"), noTo.err);
    Run stdin = cliReading(input, "convert", "-", tmp.resolve("other") + "/", "--from", "parquet", "--to", "npz");
    assertEquals(2, stdin.exit);
    assertTrue(stdin.err.contains("standard input has no name to give its output"), stdin.err);
    assertFalse(Files.exists(tmp.resolve("other")));
  }

  /**
   * A folder and one output file: the folder read whole, as pyarrow's datasets read it (pandas' Hive
   * partitions with their keys as columns; pyarrow's files side by side, in name order), into that file;
   * {@code pack} reads one so too. A folder whose files disagree is refused naming two of them, and one
   * converted file by file that has only key folders says how to read it whole (it converted 0 of 0 files
   * and succeeded).
   */
  @Test
  void aFolderGoesWholeIntoOneFile() throws Exception {
    PythonPeer.require("pandas", "pyarrow", "duckdb");
    Path hive = tmp.resolve("sales");
    Path plain = tmp.resolve("plain");
    Path differ = tmp.resolve("differ");
    Path parquets = tmp.resolve("parquets");
    PythonPeer.run("""
        import sys, os, numpy as np, pandas as pd, pyarrow as pa, pyarrow.feather as f
        hive, plain, differ = sys.argv[1:4]
        n = 600
        pd.DataFrame({'k': np.arange(n) % 3, 'city': np.where(np.arange(n) % 4 == 0, 'São Paulo', 'a/b'),
                      'v': np.arange(n) / 4.0, 'id': np.arange(n)}).to_parquet(hive, partition_cols=['k', 'city'])
        for i in range(3):
            os.makedirs(plain, exist_ok=True)
            t = pa.table({'id': pa.array(range(i * 100, i * 100 + 100)), 's': [f's{j}' for j in range(100)]})
            f.write_feather(t, f'{plain}/part{i}.feather', chunksize=40)
        os.makedirs(differ)
        f.write_feather(pa.table({'id': [1, 2]}), differ + '/a.feather')
        f.write_feather(pa.table({'id': [1.5]}), differ + '/b.feather')
        # Parquet files of one folder from other writers: a column declared without nulls in the first only,
        # and a file of no rows (Parquet readers are not ready before their first batch).
        import pyarrow.parquet as pq, duckdb
        parquets = sys.argv[4]
        os.makedirs(parquets)
        duckdb.sql(f"COPY (SELECT range::BIGINT AS id, 'd' || range AS s FROM range(3)) TO '{parquets}/a.parquet'")
        duckdb.sql("CREATE TABLE t (id BIGINT NOT NULL, s VARCHAR)")
        duckdb.sql("INSERT INTO t VALUES (3, NULL), (4, 'x')")
        duckdb.sql(f"COPY t TO '{parquets}/0.parquet'")
        pq.write_table(pa.table({'id': pa.array([], pa.int64()), 's': pa.array([], pa.string())}), parquets + '/b.parquet')
        pq.write_table(pa.table({'id': [None, 6], 's': ['y', None]}), parquets + '/c.parquet')
        os.makedirs(differ + '_npy')
        np.save(differ + '_npy/a.npy', np.arange(3))
        np.save(differ + '_npy/b.npy', np.arange(3) / 2)
        """, hive.toString(), plain.toString(), differ.toString(), parquets.toString());
    Run together = cli("convert", parquets.toString(), tmp.resolve("parquets.feather").toString(), "-q");
    assertEquals(0, together.exit, together.err);
    assertEquals("[3, 4, 0, 1, 2, None, 6] [None, 'x', 'd0', 'd1', 'd2', 'y', None] True\n", PythonPeer.run("""
        import sys, pyarrow.feather as f
        t = f.read_table(sys.argv[1])
        t.validate(full=True)
        print(t['id'].to_pylist(), t['s'].to_pylist(), t.schema.field('id').nullable)
        """, tmp.resolve("parquets.feather").toString()).replace("\r", ""));
    Run whole = cli("convert", hive.toString(), tmp.resolve("sales.feather").toString(), "-q");
    assertEquals(0, whole.exit, whole.err);
    Run packed = cli("pack", hive.toString(), tmp.resolve("by_city.parquet").toString(), "--key", "city", "-q");
    assertEquals(0, packed.exit, packed.err);
    Run streamed = cli("convert", plain.toString(), tmp.resolve("plain.arrows").toString(), "-q");
    assertEquals(0, streamed.exit, streamed.err);
    assertEquals("True ['v', 'id', 'k', 'city'] 600\n2 600\n300 True\n", PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.dataset as ds, pyarrow.feather as f, pyarrow.parquet as pq, pyarrow.ipc as ipc
        keys = ds.partitioning(pa.schema([('k', pa.int64()), ('city', pa.string())]), flavor='hive')
        want = ds.dataset(sys.argv[1], partitioning=keys).to_table().sort_by('id')
        got = f.read_table(sys.argv[2])
        print(got.sort_by('id').select(want.column_names).equals(want), got.column_names, got.num_rows)
        packed = pq.read_table(sys.argv[3])
        print(packed.num_rows, sum(len(x) for x in packed['id'].to_pylist()))
        t = ipc.open_stream(sys.argv[4]).read_all()
        print(t.num_rows, t['id'].to_pylist() == list(range(300)))
        """, hive.toString(), tmp.resolve("sales.feather").toString(), tmp.resolve("by_city.parquet").toString(),
        tmp.resolve("plain.arrows").toString()).replace("\r", ""));

    // Several inputs, or a pattern, and one output file: one after another, as cat puts files together.
    Run pattern = cli("convert", hive + "/**/*.parquet", tmp.resolve("pattern.feather").toString(), "-q");
    assertEquals(0, pattern.exit, pattern.err);
    Run two = cli("convert", plain.resolve("part2.feather").toString(), plain.resolve("part0.feather").toString(),
        tmp.resolve("two.arrows").toString(), "-q");
    assertEquals(0, two.exit, two.err);
    assertEquals("['v', 'id'] True\nTrue\n", PythonPeer.run("""
        import sys, pyarrow.feather as f, pyarrow.ipc as ipc
        t = f.read_table(sys.argv[1])
        print(t.column_names, sorted(t['id'].to_pylist()) == list(range(600)))
        print(ipc.open_stream(sys.argv[2]).read_all()['id'].to_pylist() == list(range(200, 300)) + list(range(100)))
        """, tmp.resolve("pattern.feather").toString(), tmp.resolve("two.arrows").toString()).replace("\r", ""));

    Run inspected = cli("inspect", hive.toString(), "--json");
    assertEquals(0, inspected.exit, inspected.err);
    assertTrue(inspected.out.contains("\"format\":\"folder of 6 parquet files, Hive-partitioned by k, city\""),
        inspected.out);
    assertTrue(inspected.out.contains("\"rows\":600,"), inspected.out);
    assertTrue(inspected.out.contains("{\"name\":\"city\",\"arrow_type\":\"string\""), inspected.out);

    Run refused = cli("convert", differ.toString(), tmp.resolve("differ.feather").toString());
    assertEquals(1, refused.exit);
    assertTrue(refused.err.contains("differ: its parts differ in columns: a.feather has [id: Int(64, true)], "
        + "b.feather has [id: FloatingPoint(DOUBLE)]"), refused.err);
    assertFalse(Files.exists(tmp.resolve("differ.feather")));
    Run arrays = cli("convert", tmp.resolve("differ_npy").toString(), tmp.resolve("arrays.feather").toString());
    assertEquals(1, arrays.exit);
    assertTrue(arrays.err.contains("a.npy has [a: Int(64, true)], b.npy has [b: FloatingPoint(DOUBLE)] (files are "
        + "read as rows one after another; arrays side by side, as columns, are what an .npz holds)"), arrays.err);
    Run fileByFile = cli("convert", hive.toString(), tmp.resolve("out").toString(), "--to", "feather");
    assertEquals(1, fileByFile.exit);
    assertTrue(fileByFile.err.contains("key=value folders (Hive partitions): name one output file"), fileByFile.err);
  }

  /** Several inputs, and patterns we expand ourselves, into an output directory made when missing. */
  @Test
  void severalInputsAndPatterns() throws Exception {
    Path input = Fixtures.path("npy/le_i4.npy");
    for (String name : List.of("2024/jan.npy", "2024/feb.npy", "2025/mar.npy", "2025/notes.txt")) {
      Path file = tmp.resolve("exports").resolve(name);
      Files.createDirectories(file.getParent());
      if (name.endsWith(".npy")) {
        Files.copy(input, file);
      } else {
        Files.writeString(file, "not data");
      }
    }
    Run glob = cli("convert", tmp + "/exports/**/*.npy", tmp.resolve("out").toString(), "--to", "feather", "-q");
    assertEquals(0, glob.exit, glob.err);
    try (var files = Files.list(tmp.resolve("out"))) {
      assertEquals(List.of("feb.feather", "jan.feather", "mar.feather"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    Run two = cli("convert", tmp.resolve("exports/2024/jan.npy").toString(), tmp.resolve("exports/2025/mar.npy").toString(),
        tmp.resolve("out2").toString(), "--to", "parquet", "-q");
    assertEquals(0, two.exit, two.err);
    assertTrue(Files.isRegularFile(tmp.resolve("out2/mar.parquet")));
    Run none = cli("convert", tmp + "/exports/*/none*.npy", tmp.resolve("out3").toString(), "--to", "npz");
    assertEquals(1, none.exit);
    assertTrue(none.err.contains("the pattern matches no file arrow-npz reads"), none.err);
    Run noTo = cli("convert", tmp + "/exports/**/*.npy", tmp.resolve("out4").toString());
    assertEquals(2, noTo.exit);
    assertTrue(noTo.err.contains("needs --to FORMAT"), noTo.err);
    assertFalse(noTo.err.contains("cannot tell the format of OUT"), noTo.err);
  }

  /**
   * Refusals of pyarrow's columns name what NumPy lacks and offer a way out only where there is one: nulls
   * in strings and bytes have no --nulls-to-float (it writes ints and bools), a map is named as a map (Arrow
   * Java makes it a list of structs, which packing took for a list column), and a list's elements are
   * named as such, whichever check refuses them.
   */
  @Test
  void refusalsNameWhatNumpyLacksAndOnlyAWayOutThatApplies() throws Exception {
    PythonPeer.require("pyarrow");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        d = sys.argv[1]
        f.write_feather(pa.table({'s': pa.array(['a', None, 'ccc'])}), d + '/s.feather')
        f.write_feather(pa.table({'b': pa.array([b'x', None, b'yy'])}), d + '/b.feather')
        f.write_feather(pa.table({'flag': pa.array([True, None, False]), 'n': pa.array([1, None, 2], pa.int8())}),
                        d + '/flag.feather')
        f.write_feather(pa.table({'m': pa.array([[('k', 1)], []], pa.map_(pa.string(), pa.int64()))}), d + '/m.feather')
        f.write_feather(pa.table({'l': pa.array([[{'a': 1}], []])}), d + '/l.feather')
        f.write_feather(pa.table({'d': pa.array([['a', 'b'], ['a']]).cast(pa.list_(pa.dictionary(pa.int32(), pa.string())))}),
                        d + '/d.feather')
        """, tmp.toString());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("s.npy", "column 's': 1 null value, but NumPy <U3 has no null; fill the nulls first");
    expected.put("b.npy", "column 'b': 1 null value, but NumPy |S2 has no null; fill the nulls first");
    expected.put("flag.npy", "column 'flag': 1 null value, but NumPy bool has no null; convert the column to float"
        + " or fill the nulls first (--nulls-to-float writes int and bool columns with nulls as float64 with NaN)");
    expected.put("m.npz", "column 'm': Arrow type Map(false) has no NumPy equivalent");
    expected.put("l.npz", "column 'l': its list elements: Arrow type Struct has no NumPy equivalent");
    expected.put("d.npz", "column 'd': its list elements: dictionary-encoded (NumPy has no categorical type; it would"
        + " hold the values); write it as the nearest NumPy type, or cast the column first (--nearest-dtype writes the"
        + " nearest NumPy type)");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String input = e.getKey().substring(0, e.getKey().indexOf('.')) + ".feather";
      Path out = tmp.resolve("refused-" + e.getKey());
      // flag.feather's int column, also with a null, is left out: --column names the one column an .npy holds.
      Run run = e.getKey().equals("flag.npy")
          ? cli("convert", tmp.resolve(input).toString(), out.toString(), "--column", "flag")
          : cli("convert", tmp.resolve(input).toString(), out.toString());
      assertEquals(1, run.exit, run.err);
      assertEquals(1, run.err.strip().lines().count(), run.err);
      assertTrue(run.err.strip().endsWith(e.getValue()), run.err);
      assertFalse(Files.exists(out), "nothing written for " + e.getKey());
    }
  }

  /** Integer nulls: a plain NPZ keeps them as a mask; --nulls-to-float makes NaN for .npy and NPZ alike. */
  @Test
  void nullsInNumpyOutputs() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path feather = tmp.resolve("n.feather");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        f.write_feather(pa.table({'n': pa.array([1, None, 3], pa.int32())}), sys.argv[1])
        """, feather.toString());
    Run refused = cli("convert", feather.toString(), tmp.resolve("n.npy").toString());
    assertEquals(1, refused.exit);
    assertTrue(refused.err.strip().endsWith("(--nulls-to-float writes int and bool columns with nulls as float64 with NaN)"),
        refused.err);
    assertEquals(0, cli("convert", feather.toString(), tmp.resolve("n.npy").toString(), "--nulls-to-float", "-q").exit);
    assertEquals(0, cli("convert", feather.toString(), tmp.resolve("masked.npz").toString(), "-q").exit);
    assertEquals(0, cli("convert", feather.toString(), tmp.resolve("floats.npz").toString(), "--nulls-to-float", "-q").exit);
    String out = PythonPeer.run("""
        import sys, numpy as np
        d = sys.argv[1]
        a = np.load(d + '/n.npy')
        assert a.dtype == np.float64 and np.isnan(a[1]) and a[0] == 1 and a[2] == 3, a
        z = np.load(d + '/masked.npz')
        m = np.ma.masked_array(z['n'], z['n.__mask__'])
        assert z['n'].dtype == np.int32 and m.tolist() == [1, None, 3], m
        f = np.load(d + '/floats.npz')
        assert f.files == ['n'] and np.isnan(f['n'][1]), f.files
        print('ok')
        """, tmp.toString());
    assertEquals("ok", out.strip());
  }

  /**
   * Real pipelines: DuckDB's COPY to /dev/stdout into our "-", and our "-" into pyarrow's stream reader.
   */
  @Test
  void pipelinesWithDuckdbAndPyarrow() throws Exception {
    PythonPeer.require("duckdb", "pyarrow", "numpy");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("arrownpz.cli.jar");
    Path npz = tmp.resolve("from_duckdb.npz");
    String python = PythonPeer.python();
    String script = String.join(" ",
        "'" + python + "' -c \"import duckdb; duckdb.sql(\\\"COPY (SELECT range AS i, 'x' || range AS s FROM range(1000)) "
            + "TO '/dev/stdout' (FORMAT parquet)\\\")\"",
        "| '" + java + "' -jar '" + jar + "' convert - '" + npz + "' --from parquet -q",
        "&& '" + java + "' -jar '" + jar + "' convert '" + npz + "' - --to arrows -q",
        "| '" + python + "' -c \"import sys, pyarrow.ipc as ipc; t = ipc.open_stream(sys.stdin.buffer).read_all(); "
            + "print(t.num_rows, sum(t.column('i').to_pylist()), t.column('s')[999])\"");
    Path out = tmp.resolve("pipeline.out");
    Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(out));
    assertEquals("1000 499500 x999", Files.readString(out).strip());
  }

  /**
   * A folder of files in both byte orders (the Arrow project's big-endian file and stream, pyarrow's
   * little-endian Feather of the same) read whole: into a pipe to pyarrow, and into Parquet, whose small
   * batches (two, two and four) make one row group.
   */
  @Test
  void aFolderOfBothByteOrdersGoesIntoAPipeAndOneRowGroup() throws Exception {
    PythonPeer.require("pyarrow");
    Path orders = Files.createDirectories(tmp.resolve("orders"));
    for (String[] copy : new String[][] {{"generated_primitive.arrow_file", "a.arrow"},
        {"generated_primitive.stream", "b.arrows"}}) {
      try (java.io.InputStream in = CliIT.class.getResourceAsStream("/bigendian/" + copy[0])) {
        Files.copy(in, orders.resolve(copy[1]));
      }
    }
    String want = """
        import sys, pyarrow as pa, pyarrow.ipc as ipc, pyarrow.feather as f
        d = sys.argv[1]
        want = pa.concat_tables([ipc.open_file(d + '/a.arrow').read_all(), ipc.open_stream(d + '/b.arrows').read_all(),
                                 f.read_table(d + '/c.feather')])
        """;
    PythonPeer.run("""
        import sys, pyarrow.ipc as ipc, pyarrow.feather as f
        f.write_feather(ipc.open_file(sys.argv[1] + '/a.arrow').read_all(), sys.argv[1] + '/c.feather', chunksize=10)
        """, orders.toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String python = PythonPeer.python();
    Path check = tmp.resolve("check.py");
    Files.writeString(check, want + """
        got = ipc.open_stream(sys.stdin.buffer).read_all()
        got.validate(full=True)
        print(got.num_rows, got.equals(want), got.schema.field('int32_nonnullable').nullable)
        """);
    String script = "'" + java + "' -jar '" + System.getProperty("arrownpz.cli.jar") + "' convert '" + orders
        + "' - --to arrows -q | '" + python + "' '" + check + "' '" + orders + "'";
    Path out = tmp.resolve("pipe.out");
    Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(out));
    assertEquals("111 True False", Files.readString(out).strip());

    Run parquet = cli("convert", orders.toString(), tmp.resolve("orders.parquet").toString(), "-q");
    assertEquals(0, parquet.exit, parquet.err);
    assertEquals("1 111 True\n", PythonPeer.run(want + """
        import pyarrow.parquet as pq
        got = pq.read_table(sys.argv[2])
        print(pq.ParquetFile(sys.argv[2]).metadata.num_row_groups, got.num_rows, got.equals(want))
        """, orders.toString(), tmp.resolve("orders.parquet").toString()).replace("\r", ""));
  }

  /** pack and unpack take several inputs, patterns and directories too, each into the directory OUT. */
  @Test
  void packAndUnpackSeveralInputs() throws Exception {
    PythonPeer.require("pyarrow");
    Path events = Files.createDirectories(tmp.resolve("events"));
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.parquet as pq
        for day in ('mon', 'tue', 'wed'):
            pq.write_table(pa.table({'g': [1, 1, 2, 3, 3, 3], 'v': [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]}), f'{sys.argv[1]}/{day}.parquet')
        """, events.toString());
    Run pack = cli("pack", events + "/*.parquet", tmp.resolve("sessions").toString(), "--to", "npz", "--key", "g", "-q");
    assertEquals(0, pack.exit, pack.err);
    Run unpack = cli("unpack", tmp.resolve("sessions").toString(), tmp.resolve("back").toString(), "--to", "parquet", "-q");
    assertEquals(0, unpack.exit, unpack.err);
    for (String day : List.of("mon", "tue", "wed")) {
      Run r = cli("inspect", tmp.resolve("back/" + day + ".parquet").toString(), "--json");
      assertEquals(0, r.exit, r.err);
      assertEquals(6, new ObjectMapper().readTree(r.out).get("rows").asInt());
    }
    Run again = cli("pack", events + "/*.parquet", tmp.resolve("sessions").toString(), "--to", "npz", "--key", "g");
    assertEquals(1, again.exit);
    assertTrue(again.err.contains("exists; pass --overwrite"), again.err);
  }
}
