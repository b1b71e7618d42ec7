package io.arrownpz.cli;

import static io.arrownpz.cli.CliIT.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pack and unpack as a user runs them, on files pyarrow writes and reads. */
class PackIT {
  @TempDir Path tmp;

  /** The framezip article's nine events, shuffled, as Parquet. */
  private Path events() {
    Path events = tmp.resolve("events.parquet");
    PythonPeer.run("""
        import sys, datetime, pyarrow as pa, pyarrow.parquet as pq
        rows = [
            ('G001', 'E101', 'Login', '2025-07-30 09:15:23', 'U001'),
            ('G001', 'E102', 'View Dashboard', '2025-07-30 09:16:10', 'U001'),
            ('G001', 'E103', 'Download Report', '2025-07-30 09:18:44', 'U001'),
            ('G002', 'E201', 'Login', '2025-07-30 10:02:11', 'U002'),
            ('G002', 'E202', 'Password Reset', '2025-07-30 10:04:55', 'U002'),
            ('G002', 'E203', 'Login', '2025-07-30 10:10:32', 'U002'),
            ('G003', 'E301', 'Add to Cart', '2025-07-30 11:20:14', 'U003'),
            ('G003', 'E302', 'Checkout', '2025-07-30 11:25:00', 'U003'),
            ('G003', 'E303', 'Payment Success', '2025-07-30 11:27:10', 'U003'),
        ]
        shuffled = [rows[i] for i in (4, 8, 0, 6, 2, 5, 1, 7, 3)]
        cols = list(zip(*shuffled))
        pq.write_table(pa.table({
            'GroupID': cols[0], 'EventID': cols[1], 'EventName': cols[2],
            'Timestamp': pa.array([datetime.datetime.fromisoformat(t) for t in cols[3]], pa.timestamp('s')),
            'UserID': cols[4]}), sys.argv[1])
        """, events.toString());
    return events;
  }

  @Test
  void packThenUnpackGivesTheEventsBackInGroupAndTimeOrder() throws Exception {
    PythonPeer.require("pyarrow");
    Path events = events();
    Path sessions = tmp.resolve("sessions.npz");
    CliIT.Run pack = cli("pack", events.toString(), sessions.toString(), "--key", "GroupID", "--order-by",
        "Timestamp", "--keep-scalar", "UserID", "--sort-groups");
    assertEquals(0, pack.exit(), pack.err());
    assertTrue(pack.out().contains("9 events") && pack.out().contains("3 groups"), pack.out());
    Path back = tmp.resolve("back.parquet");
    CliIT.Run unpack = cli("unpack", sessions.toString(), back.toString(), "--position", "Index", "-q");
    assertEquals(0, unpack.exit(), unpack.err());
    assertEquals("", unpack.out());
    String check = PythonPeer.run("""
        import sys, pyarrow.parquet as pq
        events = pq.read_table(sys.argv[1]).sort_by([('GroupID', 'ascending'), ('Timestamp', 'ascending')])
        back = pq.read_table(sys.argv[2])
        assert back.column_names == events.column_names + ['Index'], back.column_names
        for name in events.column_names:
            assert back[name].to_pylist() == events[name].to_pylist(), name
        print(back['Index'].to_pylist())
        """, events.toString(), back.toString());
    assertEquals("[0, 1, 2, 0, 1, 2, 0, 1, 2]", check.strip());
  }

  /**
   * NumPy's big-endian NPZ of 300,000 shuffled events (past the run count from which groups are numbered by
   * partition on all cores): packed by its int64 key into Parquet through a link to an existing file (the
   * link kept, the file it names replaced), and by a string key to standard output; groups in order of
   * first appearance and events in input order, as NumPy works them out. A zero-row file packs to no groups.
   */
  @Test
  void numpysBigEndianEventsPackByIntAndStringKeysAsNumpyGroupsThem() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path events = tmp.resolve("events_be.npz");
    Path zero = tmp.resolve("zero.npz");
    PythonPeer.run("""
        import sys, numpy as np
        rng = np.random.default_rng(3)
        n = 300_000
        key = rng.integers(0, 40_000, n).astype('>i8')
        sid = np.array([f's{k:05d}' for k in key.astype('<i8')]).astype('>U6')
        np.savez(sys.argv[1], key=key, sid=sid, val=rng.random(n).astype('>f8'))
        np.savez(sys.argv[2], key=np.zeros(0, '>i8'), val=np.zeros(0, '>f8'))
        """, events.toString(), zero.toString());
    Path target = java.nio.file.Files.writeString(tmp.resolve("target.parquet"), "old");
    Path link = java.nio.file.Files.createSymbolicLink(tmp.resolve("link.parquet"), target);
    CliIT.Run byKey = cli("pack", events.toString(), link.toString(), "--key", "key", "--overwrite", "-q");
    assertEquals(0, byKey.exit(), byKey.err());
    assertTrue(java.nio.file.Files.isSymbolicLink(link), "the link is kept");
    Path bySid = tmp.resolve("by_sid.arrows");
    Process toStdout = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("arrownpz.cli.jar"), "pack", events.toString(), "-", "--to", "arrows", "--key", "sid")
        .redirectOutput(bySid.toFile()).redirectError(tmp.resolve("by_sid.err").toFile()).start();
    assertTrue(toStdout.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(0, toStdout.exitValue(), java.nio.file.Files.readString(tmp.resolve("by_sid.err")));
    Path none = tmp.resolve("zero.parquet");
    assertEquals(0, cli("pack", zero.toString(), none.toString(), "--key", "key", "-q").exit());
    String check = PythonPeer.run("""
        import sys, numpy as np, pyarrow as pa, pyarrow.parquet as pq
        z = np.load(sys.argv[1])
        key, sid, val = z['key'].astype('<i8'), z['sid'].astype('<U6'), z['val'].astype('<f8')
        def expect(keys, got, name, others):
            _, first = np.unique(keys, return_index=True)
            order = keys[np.sort(first)]
            assert got[name].to_pylist() == order.tolist(), name
            for g in range(0, len(order), 997):
                rows = keys == order[g]
                for col, values in others.items():
                    assert got[col][g].as_py() == values[rows].tolist(), (name, col, g)
            return len(order)
        n1 = expect(key, pq.read_table(sys.argv[2]), 'key', {'sid': sid, 'val': val})
        with pa.OSFile(sys.argv[3]) as f:
            n2 = expect(sid, pa.ipc.open_stream(f).read_all(), 'sid', {'key': key, 'val': val})
        print(n1 == n2, pq.read_table(sys.argv[4]).num_rows)
        """, events.toString(), target.toString(), bySid.toString(), none.toString());
    assertEquals("True 0", check.strip());
  }

  /**
   * A map column of a packed table is one value per session, not a list of events (Arrow Java makes a map a
   * list of key-value structs): unpack repeats it for each event of its row, as any column not a list.
   */
  @Test
  void unpackRepeatsAMapColumnForEachEventOfItsRow() throws Exception {
    PythonPeer.require("pyarrow");
    Path packed = tmp.resolve("packed.feather");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.feather as f
        f.write_feather(pa.table({'k': [1, 2], 'ev': pa.array([[1, 2], [3]]),
                                  'm': pa.array([[('a', 1)], [('b', 2), ('c', 3)]], pa.map_(pa.string(), pa.int64()))}),
                        sys.argv[1])
        """, packed.toString());
    Path back = tmp.resolve("back.feather");
    CliIT.Run unpack = cli("unpack", packed.toString(), back.toString(), "-q");
    assertEquals(0, unpack.exit(), unpack.err());
    String rows = PythonPeer.run("""
        import sys, pyarrow.feather as f
        t = f.read_table(sys.argv[1])
        print(t.schema.field('m').type, t.to_pylist())
        """, back.toString());
    assertEquals("map<string, int64> [{'k': 1, 'ev': 1, 'm': [('a', 1)]}, {'k': 1, 'ev': 2, 'm': [('a', 1)]},"
        + " {'k': 2, 'ev': 3, 'm': [('b', 2), ('c', 3)]}]", rows.strip());
  }

  @Test
  void dataThatCannotBePackedExitsOneNamingTheFile() throws Exception {
    PythonPeer.require("pyarrow");
    Path events = events();
    CliIT.Run notConstant = cli("pack", events.toString(), tmp.resolve("s.feather").toString(), "--key", "GroupID",
        "--keep-scalar", "EventName");
    assertEquals(1, notConstant.exit());
    assertTrue(notConstant.err().startsWith("arrow-npz: " + events) && notConstant.err().contains("'EventName'")
        && notConstant.err().strip().lines().count() == 1, notConstant.err());
    assertTrue(!tmp.resolve("s.feather").toFile().exists(), "no partial output");
    CliIT.Run noKey = cli("pack", events.toString(), tmp.resolve("s.feather").toString());
    assertEquals(2, noKey.exit());
    assertTrue(noKey.err().contains("--key"), noKey.err());
    CliIT.Run unknown = cli("pack", events.toString(), tmp.resolve("s.feather").toString(), "--key", "Session");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().contains("'Session'"), unknown.err());
  }

  /**
   * polars' events (its strings are views, long and short): packed into an NPZ that NumPy reads with the
   * groups polars makes itself; a column the packed layout cannot hold is refused naming the file and
   * the column (not the list's child vector), with no output.
   */
  @Test
  void polarsEventsPackToNumpyAndRefusalsNameFileAndColumn() throws Exception {
    PythonPeer.require("polars", "numpy");
    Path events = tmp.resolve("events.feather");
    Path nested = tmp.resolve("nested.feather");
    PythonPeer.run("""
        import sys, polars as pl
        n = 600
        pl.DataFrame({
            'user': [f'user-{i % 23}-with-a-name-past-twelve-bytes' if i % 3 else f'u{i % 23}' for i in range(n)],
            't': [(i * 7919) % n for i in range(n)],
            'event': ['é' * (i % 4) + f'event {i % 7}' * (1 + i % 3) for i in range(n)],
        }).write_ipc(sys.argv[1])
        pl.DataFrame({'user': ['a', 'a', 'b'], 'where': [{'x': 1}, {'x': 2}, {'x': 3}]}).write_ipc(sys.argv[2])
        """, events.toString(), nested.toString());
    Path packed = tmp.resolve("packed.npz");
    CliIT.Run pack = cli("pack", events.toString(), packed.toString(), "--key", "user", "--order-by", "t", "-q");
    assertEquals(0, pack.exit(), pack.err());
    String check = PythonPeer.run("""
        import sys, numpy as np, polars as pl
        want = pl.read_ipc(sys.argv[1]).sort('t').group_by('user', maintain_order=True).agg('t', 'event')
        want = {u: (t, e) for u, t, e in want.iter_rows()}
        z = np.load(sys.argv[2])
        bounds = z['__offsets__']
        assert z['user'].dtype.kind == 'U' and z['event'].dtype.kind == 'U', (z['user'].dtype, z['event'].dtype)
        got = {u: (z['t'][a:b].tolist(), z['event'][a:b].tolist()) for u, a, b in zip(z['user'].tolist(), bounds, bounds[1:])}
        assert got == want, [(u, got.get(u), want[u]) for u in want if got.get(u) != want[u]][:2]
        print(len(got))
        """, events.toString(), packed.toString());
    assertEquals("46", check.strip()); // 23 short names and 23 long ones
    Path refused = tmp.resolve("refused.npz");
    CliIT.Run struct = cli("pack", nested.toString(), refused.toString(), "--key", "user");
    assertEquals(1, struct.exit());
    assertTrue(struct.err().startsWith("arrow-npz: " + nested + ": cannot be written as npz: column 'where'")
        && struct.err().strip().lines().count() == 1, struct.err());
    assertTrue(!refused.toFile().exists(), "no partial output");
  }

  /**
   * pandas' events with a zoned timestamp (as every pandas datetime with a time zone is written) pack to NPZ
   * only as the nearest NumPy type: refused with the option named, then written with it and read by NumPy as
   * naive UTC datetime64; unpacked again with a null column kept as NaN by --nulls-to-float.
   */
  @Test
  void packAndUnpackTakeTheNumpyOutputOptions() throws Exception {
    PythonPeer.require("pandas", "numpy");
    Path events = tmp.resolve("events.parquet");
    PythonPeer.run("""
        import sys, pandas as pd
        n = 40
        pd.DataFrame({"session": [i % 4 for i in range(n)],
                      "ts": pd.date_range("2024-03-31 00:30", periods=n, freq="min", tz="Europe/Paris"),
                      "n": pd.array([None if i % 5 == 0 else i for i in range(n)], dtype="Int64")}
                     ).to_parquet(sys.argv[1], index=False)
        """, events.toString());
    Path packed = tmp.resolve("sessions.npz");
    CliIT.Run refused = cli("pack", events.toString(), packed.toString(), "--key", "session");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("column 'ts': its list elements: timestamp with time zone Europe/Paris")
        && refused.err().strip().endsWith("(--nearest-dtype writes the nearest NumPy type)"), refused.err());
    CliIT.Run pack = cli("pack", events.toString(), packed.toString(), "--key", "session", "--order-by", "ts",
        "--nearest-dtype", "-q");
    assertEquals(0, pack.exit(), pack.err());
    Path back = tmp.resolve("back.npz");
    CliIT.Run unpack = cli("unpack", packed.toString(), back.toString(), "--nulls-to-float", "-q");
    assertEquals(0, unpack.exit(), unpack.err());
    assertEquals("ok", PythonPeer.run("""
        import sys, numpy as np, pandas as pd
        want = pd.read_parquet(sys.argv[1]).sort_values(["session", "ts"], kind="stable")
        z = np.load(sys.argv[2])
        assert z["ts"].dtype == np.dtype("<M8[ns]") or z["ts"].dtype.kind == "M", z["ts"].dtype
        back = np.load(sys.argv[3])
        utc = want["ts"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
        assert (back["ts"].astype("M8[ns]") == utc).all()
        n = back["n"]
        assert n.dtype == np.float64 and np.isnan(n[want["n"].isna().to_numpy()]).all(), n
        assert (n[~want["n"].isna().to_numpy()] == want["n"].dropna().to_numpy()).all()
        print("ok")
        """, events.toString(), packed.toString(), back.toString()).strip());
  }
}
