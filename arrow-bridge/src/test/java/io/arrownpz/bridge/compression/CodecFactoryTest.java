package io.arrownpz.bridge.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.ipc.IpcOptions;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import io.arrownpz.testing.AllocatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The codec factory is passed in, configurable, and found as a service as Arrow's own are. */
class CodecFactoryTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private BufferAllocator allocator() {
    return memory.allocator();
  }

  /** 1M rows of few distinct ints and repeated strings: compressible, and buffers past 4 MiB. */
  private VectorSchemaRoot compressible() {
    int n = 600_000;
    BigIntVector ints = new BigIntVector("i", allocator());
    VarCharVector text = new VarCharVector("s", allocator());
    ints.allocateNew(n);
    text.allocateNew(n * 6L, n);
    for (int i = 0; i < n; i++) {
      ints.set(i, (i * 31L) % 7);
      text.setSafe(i, ("v" + (i % 13)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    ints.setValueCount(n);
    text.setValueCount(n);
    return VectorSchemaRoot.of(ints, text);
  }

  private static List<List<Object>> values(VectorSchemaRoot table) {
    List<List<Object>> out = new ArrayList<>();
    table.getFieldVectors().forEach(v -> {
      List<Object> column = new ArrayList<>();
      for (int i = 0; i < v.getValueCount(); i++) {
        column.add(String.valueOf(v.getObject(i)));
      }
      out.add(column);
    });
    return out;
  }

  @Test
  void registeredAsAService() {
    List<String> found = new ArrayList<>();
    ServiceLoader.load(CompressionCodec.Factory.class).forEach(f -> found.add(f.getClass().getName()));
    assertTrue(found.contains(FastCompressionFactory.class.getName()), found.toString());
  }

  @Test
  void zstdLevelIsConfigurable() throws Exception {
    Path fast = tmp.resolve("l1.feather");
    Path small = tmp.resolve("l19.feather");
    try (VectorSchemaRoot table = compressible()) {
      FeatherFiles.write(table, fast, IpcOptions.of(IpcCompression.ZSTD));
      FeatherFiles.write(table, small, IpcOptions.of(IpcCompression.ZSTD)
          .withCodecs(new FastCompressionFactory().withZstdLevel(19)));
      assertTrue(Files.size(small) < Files.size(fast), Files.size(small) + " vs " + Files.size(fast));
      for (Path p : List.of(fast, small)) {
        try (VectorSchemaRoot back = FeatherFiles.read(p, allocator())) {
          assertEquals(values(table), values(back), p.toString());
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new FastCompressionFactory().withZstdLevel(99));
  }

  /** The LZ4 frames' block size (the BD byte after the magic and flags) follows the setting. */
  @Test
  void lz4BlockSizeIsConfigurable() throws Exception {
    Path big = tmp.resolve("big.arrows");
    Path small = tmp.resolve("small.arrows");
    try (VectorSchemaRoot table = compressible()) {
      IpcStreamFiles.write(table, big, IpcOptions.of(IpcCompression.LZ4));
      IpcStreamFiles.write(table, small, IpcOptions.of(IpcCompression.LZ4)
          .withCodecs(new FastCompressionFactory().withLz4BlockSize(64 << 10)));
      assertEquals(List.of(0x70), blockSizeCodes(big).stream().distinct().filter(c -> c == 0x70).toList(),
          "an 8 MB buffer is framed in 4 MiB blocks by default");
      assertEquals(List.of(0x40), blockSizeCodes(small).stream().distinct().toList());
      try (VectorSchemaRoot back = IpcStreamFiles.read(small, allocator())) {
        assertEquals(values(table), values(back));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new FastCompressionFactory().withLz4BlockSize(100_000));
  }

  /** The BD byte of every LZ4 frame in a file. */
  private static List<Integer> blockSizeCodes(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    List<Integer> codes = new ArrayList<>();
    for (int i = 0; i + 6 < bytes.length; i++) {
      if (bytes[i] == 0x04 && bytes[i + 1] == 0x22 && bytes[i + 2] == 0x4D && bytes[i + 3] == 0x18) {
        codes.add(bytes[i + 5] & 0xFF);
      }
    }
    assertTrue(!codes.isEmpty(), "no LZ4 frame found");
    return codes;
  }

  /** Another factory (Arrow's arrow-compression) passed through a conversion, written and read. */
  @Test
  void anyFactoryCanBePassedIn() throws Exception {
    Path feather = tmp.resolve("t.feather");
    Path stream = tmp.resolve("t.arrows");
    ConvertOptions arrows = ConvertOptions.DEFAULTS.withCodecs(CommonsCompressionFactory.INSTANCE);
    try (VectorSchemaRoot table = compressible()) {
      Converter converter = new Converter(allocator());
      converter.write(table, feather, FileFormat.FEATHER, arrows.withIpc(IpcCompression.ZSTD));
      converter.convert(feather, FileFormat.FEATHER, stream, FileFormat.IPC_STREAM, arrows.withIpc(IpcCompression.LZ4));
      try (VectorSchemaRoot a = converter.read(feather, FileFormat.FEATHER, arrows);
           VectorSchemaRoot b = converter.read(stream, FileFormat.IPC_STREAM, arrows);
           VectorSchemaRoot c = converter.read(stream, FileFormat.IPC_STREAM, ConvertOptions.DEFAULTS)) {
        assertEquals(values(table), values(a));
        assertEquals(values(table), values(b));
        assertEquals(values(table), values(c));
      }
    }
  }
}
