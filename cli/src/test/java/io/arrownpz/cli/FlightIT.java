package io.arrownpz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.arrownpz.testing.PythonPeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arrow-npz serve}, {@code get} and {@code put} as processes: one server, and a coordinator over
 * three data nodes read by pyarrow.flight in parallel, with a node killed.
 */
class FlightIT {
  private static final Pattern LOCATION = Pattern.compile("at (grpc://\\S+)");
  private final List<Process> servers = new ArrayList<>();
  private final Map<Process, StringBuffer> output = new ConcurrentHashMap<>();

  @TempDir Path tmp;

  @AfterEach
  void stopServers() throws InterruptedException {
    for (Process p : servers) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> command(String... args) {
    return command(List.of(), args);
  }

  private static List<String> command(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", System.getProperty("arrownpz.cli.jar")));
    command.addAll(List.of(args));
    return command;
  }

  /** Starts {@code serve} and returns its location, read from its first line. */
  private String serve(String... args) throws IOException {
    return serve(List.of(), args);
  }

  private String serve(List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("serve"));
    command.addAll(List.of(args));
    command.addAll(List.of("--port", "0"));
    Process p = new ProcessBuilder(command(jvmOptions, command.toArray(new String[0]))).redirectErrorStream(true)
        .start();
    servers.add(p);
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    Matcher m = first == null ? null : LOCATION.matcher(first);
    if (m == null || !m.find()) {
      fail("serve did not start: " + first);
    }
    // The rest of what it says is kept, read as it comes: a server blocked on a full pipe would stall.
    StringBuffer rest = new StringBuffer();
    Thread drain = new Thread(() -> lines.lines().forEach(line -> rest.append(line).append('\n')));
    drain.setDaemon(true);
    drain.start();
    output.put(p, rest);
    return m.group(1);
  }

  private static String run(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + out);
    return out;
  }

  @Test
  void serveSqlAnswersAFlightSqlQueryWithTheTokenAndGetsGoOn() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path dir = Files.createDirectories(tmp.resolve("sql"));
    Path values = TestArrays.float64(dir.resolve("x.npy"), 100_000);
    Path token = Files.writeString(tmp.resolve("sql-token"), "s3cret\n");
    String at = serve(dir.toString(), "--sql", "--sql-timeout", "30", "--sql-memory", "256", "--token-file",
        token.toString());
    String answer = PythonPeer.run("""
        import sys, numpy as np, pyarrow.flight as flight
        def field(number, data):
            n = len(data); size = b''
            while True:
                b = n & 0x7f; n >>= 7
                size += bytes([b | (0x80 if n else 0)])
                if not n: break
            return bytes([number << 3 | 2]) + size + data
        command = field(1, b'type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery') + field(2,
            field(1, b'SELECT sum(x) AS s, count(*) AS n FROM "x.npy"'))
        options = flight.FlightCallOptions(headers=[(b'authorization', b'Bearer s3cret')])
        client = flight.connect(sys.argv[1])
        info = client.get_flight_info(flight.FlightDescriptor.for_command(command), options)
        table = client.do_get(info.endpoints[0].ticket, options).read_all()
        expected = np.load(sys.argv[2])
        print(abs(table['s'][0].as_py() - expected.sum()) < 1e-6 * abs(expected.sum()), table['n'][0].as_py())
        try:
            client.get_flight_info(flight.FlightDescriptor.for_command(command))
            print('answered without the token')
        except flight.FlightUnauthenticatedError:
            print('refused without the token')
        """, at, values.toString()).strip();
    assertEquals("True 100000\nrefused without the token", answer);
    String said = run("get", at + "/x.npy", tmp.resolve("x-back.npy").toString(), "--token-file", token.toString());
    assertTrue(said.contains("100000 rows"), said);
  }

  @Test
  void putThenGetThroughAServerProcessAndStopItCleanly() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("served"));
    Path events = TestArrays.float64(tmp.resolve("x.npy"), 100_000);
    Path token = Files.writeString(tmp.resolve("token"), "  tok3n\n");
    String at = serve(dir.toString(), "--token-file", token.toString(), "--batch-rows", "4096");
    run("put", events.toString(), at + "/in/x.feather", "--token-file", token.toString());
    assertTrue(Files.isRegularFile(dir.resolve("in/x.feather")));
    Path back = tmp.resolve("back.npy");
    String said = run("get", at + "/in/x.feather", back.toString(), "--token-file", token.toString());
    assertTrue(said.contains("100000 rows"), said);
    PythonPeer.require("numpy");
    assertEquals("True", PythonPeer.run("import sys, numpy as np\nprint(np.array_equal(np.load(sys.argv[1]), "
        + "np.load(sys.argv[2])))", events.toString(), back.toString()).strip());
    Process refused = new ProcessBuilder(command("get", at + "/in/x.feather", tmp.resolve("no.npy").toString()))
        .redirectErrorStream(true).start();
    String err = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, refused.waitFor());
    assertTrue(err.contains("UNAUTHENTICATED") && err.lines().count() == 1, err);
    Process server = servers.get(0);
    server.destroy(); // SIGTERM: calls in flight finish, the process exits
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "serve stops on SIGTERM");
    try (Stream<Path> files = Files.walk(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no partial file left");
    }
  }

  /**
   * A dataset NumPy cannot hold exactly (a zoned timestamp, ints with nulls) fetched to NumPy outputs: refused
   * in one line that names the dataset, the column and the option, nothing written; with the option, written
   * as convert writes it, and NumPy reads the values.
   */
  @Test
  void getToNumpyOutputsRefusesOrConvertsAsConvertDoes() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path dir = Files.createDirectories(tmp.resolve("served"));
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as feather
        feather.write_feather(pa.table({
            "t": pa.array([0, 86_400_000_000, None], pa.timestamp("us", tz="Europe/Paris")),
            "i": pa.array([1, None, 3], pa.int64())}), sys.argv[1])
        """, dir.resolve("zoned.feather").toString());
    String at = serve(dir.toString());
    Path npz = tmp.resolve("zoned.npz");
    Process refused = new ProcessBuilder(command("get", at + "/zoned.feather", npz.toString())).redirectErrorStream(true)
        .start();
    String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(1, refused.waitFor());
    assertEquals(1, said.lines().count(), said);
    assertTrue(said.startsWith("arrow-npz: " + at + "/zoned.feather: cannot be written as npz: column 't'")
        && said.endsWith("(--nearest-dtype writes the nearest NumPy type)"), said);
    assertFalse(Files.exists(npz), "nothing written");
    Path npy = tmp.resolve("i.npy");
    Process nulls = new ProcessBuilder(command("get", at + "/zoned.feather", npy.toString(), "--column", "i"))
        .redirectErrorStream(true).start();
    said = new String(nulls.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(1, nulls.waitFor());
    assertTrue(said.contains("column 'i'") && said.endsWith("(--nulls-to-float writes int and bool columns with "
        + "nulls as float64 with NaN)"), said);

    run("get", at + "/zoned.feather", npz.toString(), "--nearest-dtype");
    run("get", at + "/zoned.feather", npy.toString(), "--column", "i", "--nulls-to-float");
    assertEquals("ok", PythonPeer.run("""
        import sys, numpy as np
        z = np.load(sys.argv[1])
        t = z["t"]
        assert t.dtype == np.dtype("<M8[us]") and t[1] == np.datetime64("1970-01-02T00:00:00", "us") and np.isnat(t[2]), t
        assert list(z["i"][[0, 2]]) == [1, 3] and list(z["i.__mask__"]) == [False, True, False], (z["i"], z.files)
        i = np.load(sys.argv[2])
        assert i.dtype == np.float64 and i[0] == 1 and np.isnan(i[1]) and i[2] == 3, i
        print("ok")
        """, npz.toString(), npy.toString()).strip());
  }

  /** A dataset's name is typed as the file is named: spaces, accents, '#', '?' and '%' are part of it. */
  @Test
  void addressesTakeFileNamesAsTheyAreTyped() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("served"));
    Path source = TestArrays.float64(tmp.resolve("x.npy"), 1_000);
    String at = serve(dir.toString());
    for (String name : new String[] {"in/a b #1?é.feather", "in/50%.feather", "in/escaped%20name.feather"}) {
      run("put", source.toString(), at + "/" + name);
      Path back = tmp.resolve("back-" + Math.abs(name.hashCode()) + ".npy");
      assertTrue(run("get", at + "/" + name, back.toString()).contains("1000 rows"), name);
    }
    try (Stream<Path> files = Files.list(dir.resolve("in"))) {
      // A name that is a valid URI as typed keeps its meaning: %20 is an escaped space, as before.
      assertEquals(java.util.Set.of("a b #1?é.feather", "50%.feather", "escaped name.feather"),
          files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
    }
  }

  /**
   * {@code get} writes its output by the CLI's one rule: an existing file is refused without --overwrite
   * and left as it was; a symlink is written through and stays a link; /dev/stdout is streamed to, and so
   * is {@code -}, with the summary on standard error; {@code put} reads {@code -} (standard input) and
   * pipes as convert does.
   */
  @Test
  void getWritesOutputsAsConvertDoes() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("served"));
    TestArrays.float64(dir.resolve("x.npy"), 1_000);
    String at = serve(dir.toString());
    Path existing = Files.writeString(tmp.resolve("existing.feather"), "mine");
    Process refused = new ProcessBuilder(command("get", at + "/x.npy", existing.toString())).redirectErrorStream(true)
        .start();
    String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, refused.waitFor());
    assertEquals("arrow-npz: " + existing + ": exists; pass --overwrite to replace it", said.strip());
    assertEquals("mine", Files.readString(existing));

    Path real = Files.writeString(tmp.resolve("real.feather"), "old");
    Path link = Files.createSymbolicLink(tmp.resolve("link.feather"), Path.of("real.feather"));
    run("get", at + "/x.npy", link.toString(), "--overwrite", "-q");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("ARROW1", new String(Files.readAllBytes(real), 0, 6, StandardCharsets.US_ASCII));

    // OUT ending with / or naming a directory gets the dataset's name and --to's extension, as convert's does.
    run("get", at + "/x.npy", tmp.resolve("into") + "/", "--to", "parquet", "-q");
    Path intoExisting = Files.createDirectories(tmp.resolve("existing-dir"));
    run("get", at + "/x.npy", intoExisting.toString(), "--to", "npz", "-q");

    Path stdout = tmp.resolve("stdout.feather");
    Process streamed = new ProcessBuilder(command("get", at + "/x.npy", "/dev/stdout", "--to", "feather", "-q"))
        .redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(streamed.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, streamed.exitValue());
    PythonPeer.require("numpy", "pyarrow");
    assertEquals("True True True", PythonPeer.run("""
        import sys, numpy as np, pyarrow.feather as f, pyarrow.parquet as pq
        want = np.load(sys.argv[2])
        print(np.array_equal(f.read_table(sys.argv[1]).column(0).to_numpy(), want),
              np.array_equal(pq.read_table(sys.argv[3]).column(0).to_numpy(), want),
              np.array_equal(np.load(sys.argv[4])['x'], want))
        """, stdout.toString(), dir.resolve("x.npy").toString(), tmp.resolve("into/x.parquet").toString(),
        intoExisting.resolve("x.npz").toString()).strip());

    // "-": the IPC stream alone on standard output (it wrote a file named "-", its summary on stdout).
    Path dash = tmp.resolve("dash.arrows");
    Path said2 = tmp.resolve("said.txt");
    Process toDash = new ProcessBuilder(command("get", at + "/x.npy", "-", "--to", "arrows"))
        .directory(tmp.toFile()).redirectOutput(dash.toFile()).redirectError(said2.toFile()).start();
    assertTrue(toDash.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, toDash.exitValue(), Files.readString(said2));
    assertFalse(Files.exists(tmp.resolve("-")));
    assertEquals("got 1000 rows from 1 endpoint(s) into -", Files.readString(said2).strip());
    // ... and back up from standard input, and from a pipe.
    Process fromDash = new ProcessBuilder(command("put", "-", at + "/up/dash.parquet", "--from", "arrows", "-q"))
        .redirectInput(dash.toFile()).redirectErrorStream(true).start();
    String putSaid = new String(fromDash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(fromDash.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, fromDash.exitValue(), putSaid);
    List<String> piped = new ArrayList<>(List.of("bash", "-c", "cat \"$0\" | \"$@\"", dash.toString()));
    piped.addAll(command("put", "/dev/stdin", at + "/up/pipe.feather", "-q")); // a pipe: read once, spooled
    Process fromStdinDevice = new ProcessBuilder(piped).redirectErrorStream(true).start();
    String pipeSaid = new String(fromStdinDevice.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(fromStdinDevice.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, fromStdinDevice.exitValue(), pipeSaid);
    assertEquals("True True", PythonPeer.run("""
        import sys, numpy as np, pyarrow.parquet as pq, pyarrow.feather as f
        want = np.load(sys.argv[1])
        print(np.array_equal(pq.read_table(sys.argv[2]).column(0).to_numpy(), want),
              np.array_equal(f.read_table(sys.argv[3]).column(0).to_numpy(), want))
        """, dir.resolve("x.npy").toString(), dir.resolve("up/dash.parquet").toString(),
        dir.resolve("up/pipe.feather").toString()).strip());

    // A folder goes up whole, as convert writes one into a file: pandas' Hive partitions, categoricals kept.
    Path hive = tmp.resolve("hive");
    PythonPeer.run("""
        import sys, numpy as np, pandas as pd
        n = 300
        pd.DataFrame({'k': np.arange(n) % 3, 'c': pd.Categorical(np.where(np.arange(n) % 2 == 0, 'x', 'y')),
                      'v': np.arange(n)}).to_parquet(sys.argv[1], partition_cols=['k'])
        """, hive.toString());
    run("put", hive.toString(), at + "/up/hive.feather", "-q");
    assertEquals("True True", PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.dataset as ds, pyarrow.feather as f
        keys = ds.partitioning(pa.schema([('k', pa.int64())]), flavor='hive')
        want = ds.dataset(sys.argv[1], partitioning=keys).to_table().sort_by('v')
        got = f.read_table(sys.argv[2]).sort_by('v')
        print(got.equals(want), pa.types.is_dictionary(got.schema.field('c').type))
        """, hive.toString(), dir.resolve("up/hive.feather").toString()).strip());
  }

  @Test
  void aCoordinatorSpreadsADatasetOverThreeNodesAndSaysWhichNodeIsDown() throws Exception {
    PythonPeer.require("pyarrow.flight");
    List<Path> nodeDirs = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      nodeDirs.add(Files.createDirectories(tmp.resolve("node" + n + "/parts")));
    }
    // 12 Feather files of 1,000 rows written by pyarrow, file i on node i % 3; files 0-3 also on the next
    // node (replicas). (A folder of .npy files is columns, not partitions: each names its column after itself.)
    PythonPeer.run("""
        import sys, shutil, pyarrow as pa, pyarrow.feather as f
        for i in range(12):
            path = "%s/part-%02d.feather" % (sys.argv[1 + i % 3], i)
            f.write_feather(pa.table({"v": pa.array(range(i * 1000, i * 1000 + 1000), pa.int64())}), path)
            if i < 4:
                shutil.copy(path, sys.argv[1 + (i + 1) % 3])
        """, nodeDirs.get(0).toString(), nodeDirs.get(1).toString(), nodeDirs.get(2).toString());
    List<String> nodes = new ArrayList<>();
    for (Path d : nodeDirs) {
      nodes.add(serve(d.getParent().toString()));
    }
    Path empty = Files.createDirectories(tmp.resolve("coordinator"));
    String coordinator = serve(empty.toString(), "--node", nodes.get(0), "--node", nodes.get(1), "--node", nodes.get(2));
    String script = """
        import json, sys
        from concurrent.futures import ThreadPoolExecutor
        import pyarrow as pa, pyarrow.flight as fl
        coordinator = fl.connect(sys.argv[1])
        info = coordinator.get_flight_info(fl.FlightDescriptor.for_path("parts"))
        def read(endpoint):
            for location in endpoint.locations:
                try:
                    return fl.connect(location).do_get(endpoint.ticket).read_all()
                except fl.FlightError:
                    continue
            raise RuntimeError("no location served " + endpoint.ticket.ticket.decode())
        with ThreadPoolExecutor(6) as pool:
            tables = list(pool.map(read, info.endpoints))
        values = pa.concat_tables(tables).column(0).to_pylist()
        print(json.dumps({"endpoints": len(info.endpoints), "rows": len(values), "distinct": len(set(values)),
                          "records": info.total_records, "down": json.loads(info.app_metadata or b"{}").get("down", []),
                          "located": [len(e.locations) for e in info.endpoints]}))
        """;
    String all = PythonPeer.run(script, coordinator).strip();
    assertTrue(all.contains("\"endpoints\": 12, \"rows\": 12000, \"distinct\": 12000, \"records\": 12000, \"down\": []"), all);
    assertTrue(all.contains("\"located\": [2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]"), all);

    // Node 1 dies: the files it alone held are gone; the answer says so and names it.
    servers.get(1).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    String down = PythonPeer.run("""
        import sys, json, pyarrow.flight as fl
        try:
            fl.connect(sys.argv[1]).get_flight_info(fl.FlightDescriptor.for_path("parts/part-04.feather"))
            print("answered")
        except fl.FlightUnavailableError as e:
            print("unavailable", str(e).splitlines()[0])
        info = fl.connect(sys.argv[1]).get_flight_info(fl.FlightDescriptor.for_path("parts/part-01.feather"))
        print(json.loads(info.app_metadata)["down"][0]["node"], info.endpoints[0].locations[0].uri.decode())
        print(len(fl.connect(info.endpoints[0].locations[0]).do_get(info.endpoints[0].ticket).read_all()))
        """, coordinator);
    List<String> lines = down.lines().toList();
    assertTrue(lines.get(0).startsWith("unavailable") && lines.get(0).contains(nodes.get(1)), down);
    assertEquals(nodes.get(1) + " " + nodes.get(2), lines.get(1), "part-01 was on nodes 1 and 2: node 2 serves it");
    assertEquals("1000", lines.get(2));
  }

  /**
   * The load test: a client killed (SIGKILL) in the middle of a stream gives its stream slot and memory
   * back; then 32 pyarrow clients at once each get 50 datasets (a NumPy array, a StaticFrame frame whose
   * C-order block is transposed batch by batch, a pyarrow Feather file with strings) and put 10 files in
   * four formats. Every get is checked (rows and exact integer sums, as the writers computed them) and
   * every upload is read back from disk by pyarrow or NumPy. The server's anonymous memory (heap, direct
   * buffers, stacks; not the page cache of the files it maps) stays bounded while 6 GB go through it,
   * and at exit Arrow's accounting finds nothing still held.
   */
  @Test
  void thirtyTwoClientsGetAndPutAtOnceAndAKilledClientLeaksNothing() throws Exception {
    PythonPeer.require("numpy", "pyarrow.flight", "static_frame");
    Path dir = Files.createDirectories(tmp.resolve("served"));
    Files.createDirectories(dir.resolve("up"));
    Path expected = tmp.resolve("expected.json");
    Files.writeString(expected, PythonPeer.run("""
        import sys, json, numpy as np, pyarrow as pa, pyarrow.feather as feather, static_frame as sf
        d = sys.argv[1]
        rng = np.random.default_rng(11)
        ints = rng.integers(-1 << 40, 1 << 40, 500_000)
        np.save(d + "/ints.npy", ints)
        block = rng.integers(-1 << 40, 1 << 40, (100_000, 4))
        sf.Frame(block, columns=list("abcd")).to_npz(d + "/frame.npz")
        v = rng.integers(-1 << 40, 1 << 40, 250_000)
        feather.write_feather(pa.table({"v": v, "s": pa.array(["s%d" % (x % 1000) for x in v])}),
                              d + "/table.feather", compression="uncompressed")
        np.save(d + "/big.npy", np.arange(32 << 20, dtype=np.float64))
        print(json.dumps({"ints.npy": [500_000, [int(ints.sum())]],
                          "frame.npz": [100_000, [int(x) for x in block.sum(axis=0)]],
                          "table.feather": [250_000, [int(v.sum())]]}))
        """, dir.toString()));
    String at = serve(List.of("-Xmx256m"), dir.toString(), "--max-streams", "32");
    Process server = servers.get(0);

    // A client that reads one batch of a 256 MB stream and is killed while the server waits on it.
    Process killed = new ProcessBuilder(PythonPeer.python(), "-c", """
        import sys, time, pyarrow.flight as fl
        reader = fl.connect(sys.argv[1]).do_get(fl.Ticket(b"big.npy"))
        reader.read_chunk()
        print("reading", flush=True)
        time.sleep(600)
        """, at).redirectErrorStream(true).start();
    String first = new BufferedReader(new InputStreamReader(killed.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertEquals("reading", first);
    killed.destroyForcibly(); // SIGKILL: no goodbye on the connection
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));

    // Its slot comes back: 32 streams can be open at once again (--max-streams 32).
    PythonPeer.run("""
        import sys, time, pyarrow.flight as fl
        deadline = time.time() + 15
        while True:
            readers = []
            try:
                for _ in range(32):
                    r = fl.connect(sys.argv[1]).do_get(fl.Ticket(b"big.npy"))
                    r.read_chunk()
                    readers.append(r)
                break
            except fl.FlightError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
            finally:
                for r in readers:
                    r.cancel()
        """, at);

    long[] peakAnon = {0};
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakAnon[0] = Math.max(peakAnon[0], anonymousRss(server.pid()));
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();
    String report;
    try {
      report = PythonPeer.run(LOAD, at, dir.toString(), expected.toString()).strip();
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    assertEquals("{\"gets\": 1600, \"puts\": 320, \"errors\": []}", report);
    System.out.println("load test: peak anonymous RSS of the server " + (peakAnon[0] >> 20) + " MiB");
    assertTrue(peakAnon[0] < 1L << 30, "peak anonymous RSS of the server " + (peakAnon[0] >> 20) + " MiB");

    server.destroy(); // SIGTERM: the service closes its allocators; a leak would be named on stderr
    assertTrue(server.waitFor(60, TimeUnit.SECONDS));
    Thread.sleep(200); // the last lines reach the drain
    String said = output.get(server).toString();
    assertFalse(said.contains("at exit"), said);
    assertTrue(said.length() < 4096, "a quiet server, even with clients killed and cancelling: " + said);
  }

  /** Resident anonymous memory of a process in bytes, from /proc (0 once it is gone). */
  private static long anonymousRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("RssAnon:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // the process ended
    }
    return 0;
  }

  /** 32 pyarrow clients at once: 50 checked gets and 10 puts each, the puts then read back from disk. */
  private static final String LOAD = """
      import sys, json, threading, time
      import numpy as np, pyarrow as pa, pyarrow.compute as pc, pyarrow.flight as fl, pyarrow.feather as feather
      import pyarrow.ipc as ipc, pyarrow.parquet as pq
      at, served = sys.argv[1], sys.argv[2]
      expected = json.loads(open(sys.argv[3]).read())
      names = sorted(expected)
      errors, counts, lock = [], {"gets": 0, "puts": 0}, threading.Lock()
      formats = ["feather", "arrows", "parquet", "npz"]

      def ints(table):
          return [pc.sum(c).as_py() for c in table.columns if pa.types.is_integer(c.type)]

      def first_get(c, name):
          # The streams the probe cancelled just before may not all be noticed yet: only the first call waits.
          deadline = time.time() + 10
          while True:
              try:
                  return c.do_get(fl.Ticket(name.encode())).read_all()
              except fl.FlightError as e:
                  if "streams are running" not in str(e) or time.time() > deadline:
                      raise
                  time.sleep(0.1)

      def client(t):
          c = fl.connect(at)
          try:
              for i in range(50):
                  name = names[(t + i) % len(names)]
                  table = (first_get(c, name) if i == 0 else c.do_get(fl.Ticket(name.encode())).read_all())
                  got = [table.num_rows, ints(table)]
                  if got != expected[name]:
                      raise AssertionError("%s: %s, expected %s" % (name, got, expected[name]))
                  with lock:
                      counts["gets"] += 1
              for i in range(10):
                  table = pa.table({"t": np.full(1000, t), "i": np.full(1000, i), "v": np.arange(1000) + t * 1000003 + i})
                  writer, _ = c.do_put(fl.FlightDescriptor.for_path("up", "c%02d-%d.%s" % (t, i, formats[i % 4])),
                                       table.schema)
                  writer.write_table(table, max_chunksize=300)
                  writer.close()
          except Exception as e:
              with lock:
                  errors.append("client %d: %s" % (t, str(e).splitlines()[0]))

      threads = [threading.Thread(target=client, args=(t,)) for t in range(32)]
      for th in threads:
          th.start()
      for th in threads:
          th.join()
      for t in range(32):
          for i in range(10):
              path = "%s/up/c%02d-%d.%s" % (served, t, i, formats[i % 4])
              try:
                  if path.endswith(".npz"):
                      z = np.load(path)
                      cols = {k: z[k] for k in ("t", "i", "v")}
                  elif path.endswith(".parquet"):
                      cols = pq.read_table(path).to_pydict()
                  elif path.endswith(".arrows"):
                      cols = ipc.open_stream(path).read_all().to_pydict()
                  else:
                      cols = feather.read_table(path).to_pydict()
                  ok = (list(cols["t"]) == [t] * 1000 and list(cols["i"]) == [i] * 1000
                        and list(cols["v"]) == list(range(t * 1000003 + i, t * 1000003 + i + 1000)))
                  if not ok:
                      raise AssertionError("values differ")
                  counts["puts"] += 1
              except Exception as e:
                  errors.append("%s: %s" % (path, str(e).splitlines()[0]))
      print(json.dumps({"gets": counts["gets"], "puts": counts["puts"], "errors": errors[:5]}))
      """;
}
