package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get} holds a batch or so per endpoint, not the dataset: a dataset of 96 MB (one file, and a folder
 * of three partitions fetched in parallel) is fetched into Feather and Parquet by a client whose allocator
 * may hold 32 MiB. It held every batch of every endpoint until the output was written.
 */
class BoundedGetTest {
  private static final long CLIENT_LIMIT = 32L << 20;

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void aDatasetLargerThanTheClientsMemoryIsFetched() throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path served = Files.createDirectories(tmp.resolve("served"));
    Path got = Files.createDirectories(tmp.resolve("got"));
    PythonPeer.run("""
        import sys, os, numpy as np
        out = sys.argv[1]
        os.makedirs(os.path.join(out, "parts"))
        for k in range(3):
            x = np.arange(k * 2_000_000, (k + 1) * 2_000_000, dtype="<f8")
            np.savez(os.path.join(out, "parts", "%d.npz" % k), x=x, y=-x)
        np.savez(os.path.join(out, "one.npz"), x=np.arange(6_000_000, dtype="<f8"))
        """, served.toString());
    List<Path> spoolsBefore = spools();
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(4, 1000, 1L << 30), memory.allocator());
        BufferAllocator client = memory.allocator().newChildAllocator("client", 0, CLIENT_LIMIT)) {
      for (String dataset : new String[] {"parts", "one.npz"}) {
        for (String target : new String[] {"feather", "parquet"}) {
          Path output = got.resolve(dataset + "." + target);
          FlightFiles.Transfer moved = FlightFiles.get(URI.create(service.location() + "/" + dataset), output,
              FileFormat.ofPath(output), ClientOptions.DEFAULTS, client);
          assertEquals(6_000_000, moved.rows(), output.toString());
        }
      }
    }
    assertEquals(spoolsBefore, spools(), "the endpoints' spooled files are deleted");
    assertEquals("sums equal", PythonPeer.run("""
        import sys, os, numpy as np, pyarrow.feather as feather, pyarrow.parquet as pq
        got = sys.argv[1]
        want = float(np.arange(6_000_000, dtype="<f8").sum())
        for name in ("parts.feather", "parts.parquet", "one.npz.feather", "one.npz.parquet"):
            p = os.path.join(got, name)
            t = feather.read_table(p) if name.endswith("feather") else pq.read_table(p)
            x = t.column("x").to_numpy()
            assert t.num_rows == 6_000_000 and float(x.sum()) == want and (x[1:] > x[:-1]).all(), name
            if name.startswith("parts"):
                assert float(t.column("y").to_numpy().sum()) == -want, name
        print("sums equal")
        """, got.toString()).strip());
  }

  private static List<Path> spools() throws java.io.IOException {
    try (Stream<Path> listing = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return listing.filter(p -> p.getFileName().toString().startsWith("arrow-npz-get-")).sorted().toList();
    }
  }
}
