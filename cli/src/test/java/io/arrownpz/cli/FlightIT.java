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

  @TempDir Path tmp;

  @AfterEach
  void stopServers() throws InterruptedException {
    for (Process p : servers) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("arrownpz.cli.jar")));
    command.addAll(List.of(args));
    return command;
  }

  /** Starts {@code serve} and returns its location, read from its first line. */
  private String serve(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("serve"));
    command.addAll(List.of(args));
    command.addAll(List.of("--port", "0"));
    Process p = new ProcessBuilder(command(command.toArray(new String[0]))).redirectErrorStream(true).start();
    servers.add(p);
    BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    Matcher m = first == null ? null : LOCATION.matcher(first);
    if (m == null || !m.find()) {
      fail("serve did not start: " + first);
    }
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
}
