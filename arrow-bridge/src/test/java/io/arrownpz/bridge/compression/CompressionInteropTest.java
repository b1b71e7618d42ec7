package io.arrownpz.bridge.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compressed Feather files and IPC streams against pyarrow, both ways, on a table big enough for many
 * LZ4 blocks per buffer (pyarrow links its blocks) and several batches; and Arrow Java's own reader
 * (arrow-compression) on our files.
 */
class CompressionInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final String TABLE = """
      import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc
      def table():
          rng = np.random.default_rng(3)
          n = 300_000
          return pa.table({
              'walk': pa.array(np.cumsum(rng.normal(size=n))),
              'small': pa.array(rng.integers(0, 10, n).astype('int32')),
              'zeros': pa.array(np.zeros(n)),
              'text': pa.array([None if i % 97 == 0 else f'event {i % 1000}' for i in range(n)]),
              'when': pa.array(np.arange(n).astype('datetime64[ms]')),
              'tags': pa.array([[i % 7, i % 11] if i % 5 else [] for i in range(n)], pa.list_(pa.int16())),
          })
      def check(t):
          expected = table()
          assert t.schema.equals(expected.schema), (t.schema, expected.schema)
          assert t.equals(expected), 'values differ'
          print(t.num_rows)
      """;

  @ParameterizedTest
  @ValueSource(strings = {"lz4", "zstd"})
  void weReadPyarrowsCompressedFeatherAndStreams(String codec) throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path feather = tmp.resolve("py.feather");
    Path stream = tmp.resolve("py.arrows");
    Path expected = tmp.resolve("plain.feather");
    PythonPeer.run(TABLE + """
        t = table()
        feather.write_feather(t, sys.argv[1], compression=sys.argv[4], chunksize=100_000)
        with ipc.new_stream(sys.argv[2], t.schema, options=ipc.IpcWriteOptions(compression=sys.argv[4])) as w:
            for batch in t.to_batches(max_chunksize=100_000):
                w.write_batch(batch)
        feather.write_feather(t, sys.argv[3], compression='uncompressed')
        """, feather.toString(), stream.toString(), expected.toString(), codec);
    try (VectorSchemaRoot plain = FeatherFiles.read(expected, memory.allocator());
         VectorSchemaRoot fromFeather = FeatherFiles.read(feather, memory.allocator());
         VectorSchemaRoot fromStream = IpcStreamFiles.read(stream, memory.allocator())) {
      assertEquals(300_000, fromFeather.getRowCount());
      assertEquals(plain.contentToTSVString(), fromFeather.contentToTSVString());
      assertEquals(plain.contentToTSVString(), fromStream.contentToTSVString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"lz4", "zstd"})
  void pyarrowAndArrowJavaReadOurCompressedFeatherAndStreams(String codec) throws Exception {
    PythonPeer.require("numpy", "pyarrow");
    Path source = tmp.resolve("plain.feather");
    PythonPeer.run(TABLE + "feather.write_feather(table(), sys.argv[1], compression='uncompressed')\n",
        source.toString());
    Path feather = tmp.resolve("ours.feather");
    Path stream = tmp.resolve("ours.arrows");
    try (VectorSchemaRoot table = FeatherFiles.read(source, memory.allocator())) {
      FeatherFiles.write(table, feather, IpcCompression.named(codec));
      IpcStreamFiles.write(table, stream, IpcCompression.named(codec));
      try (FileChannel channel = FileChannel.open(feather, StandardOpenOption.READ);
           ArrowFileReader arrow = new ArrowFileReader(channel, memory.allocator(), CommonsCompressionFactory.INSTANCE)) {
        arrow.loadNextBatch();
        assertEquals(table.contentToTSVString(), arrow.getVectorSchemaRoot().contentToTSVString());
        assertEquals(org.apache.arrow.vector.compression.CompressionUtil.CodecType.valueOf(
            codec.equals("lz4") ? "LZ4_FRAME" : "ZSTD"), IpcCompression.named(codec).codec());
      }
    }
    String out = PythonPeer.run(TABLE + """
        check(feather.read_table(sys.argv[1]))
        check(ipc.open_stream(sys.argv[2]).read_all())
        import pyarrow.ipc as i2
        meta = i2.open_file(sys.argv[1])
        """, feather.toString(), stream.toString());
    assertEquals("300000\n300000", out.strip());
  }
}
