package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code __meta__.json} we write is byte for byte what StaticFrame's {@code json.dumps} writes for
 * the same frame: Python's spelling of floats (shortest digits, {@code 1e-05}, {@code 1e+16},
 * {@code 12345678.0}, {@code -0.0}, {@code Infinity}, {@code NaN}), escaped non-ASCII names and nested
 * lists from tuple names; float column labels become field names as Python's {@code str} spells them.
 */
class PythonJsonTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void frameMetadataIsWhatStaticFrameWrites() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        out = sys.argv[1]
        names = [
            (1.2345678e7, 1e-05, -0.0),
            (1e16, 1e300, 5e-324),
            (0.1, 2.0 ** -44, 123456789012345680.0),
            ('caf\\u00e9 \\u2713 \\U0001F600', ('a', 1.5, None), float('inf')),
            (float('nan'), -float('inf'), 1e22),
        ]
        for i, (frame, index, columns) in enumerate(names):
            f = sf.Frame.from_fields([np.arange(3), np.array([0.5, -1.0, 2.25])],
                columns=sf.Index(['x', 'y'], name=columns), index=sf.Index([10, 20, 30], name=index), name=frame)
            f.to_npz(f'{out}/names{i}.npz')
        f = sf.Frame.from_fields([np.arange(2)] * 4, columns=[0.1, 1e-7, 1e22, 12345678.0])
        f.to_npz(f'{out}/float_labels.npz')
        f = sf.Frame.from_fields([np.arange(2)] * 2, columns=np.array([0.1, 1e-7], dtype=np.float32))
        f.to_npz(f'{out}/float32_labels.npz')
        """, tmp.toString());
    for (int i = 0; i < 5; i++) {
      Path original = tmp.resolve("names" + i + ".npz");
      Path again = tmp.resolve("again" + i + ".npz");
      byte[] written;
      try (FrameSource source = NpzFrameSource.open(original);
           VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
        written = source.bytes("__meta__.json", memory.allocator());
        FrameWriter.writeNpz(table, again, FrameWriteOptions.DEFAULTS);
      }
      try (FrameSource reread = NpzFrameSource.open(again)) {
        byte[] ours = reread.bytes("__meta__.json", memory.allocator());
        assertEquals(new String(written, StandardCharsets.UTF_8), new String(ours, StandardCharsets.UTF_8));
        assertArrayEquals(written, ours);
      }
    }
    assertEquals(List.of("0.1", "1e-07", "1e+22", "12345678.0"), fieldNames("float_labels.npz"));
    assertEquals(List.of("0.1", "1e-07"), fieldNames("float32_labels.npz"));
  }

  private List<String> fieldNames(String file) throws IOException {
    try (FrameSource source = NpzFrameSource.open(tmp.resolve(file));
         VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
      return table.getSchema().getFields().stream().map(f -> f.getName()).toList();
    }
  }

  /** Random bit patterns and hard cases (powers of two, subnormals, round numbers) against Python's repr. */
  @Test
  void floatsAreSpelledAsPythonsRepr() {
    PythonPeer.require("numpy");
    SplittableRandom random = new SplittableRandom(57);
    List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, 0.1, 1e-4, 1e-5, 1e15, 1e16, 9.999999999999999e15,
        Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 2.82879384806159e17, 1.0e23, 5e-324, 123.456));
    for (int e = -1074; e <= 1023; e += 7) {
      values.add(Math.scalb(1.0, e));
    }
    for (int i = 0; i < 3000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(d)) {
        values.add(d);
      }
      values.add(random.nextInt(1_000_000) / Math.pow(10, random.nextInt(12)));
    }
    StringBuilder hex = new StringBuilder();
    for (double d : values) {
      hex.append(Long.toHexString(Double.doubleToRawLongBits(d))).append('\n');
    }
    List<Float> floats = new ArrayList<>(List.of(0.1f, 1e-7f, 3.4028235e38f, Float.MIN_VALUE, 16777216f, 1.1754944e-38f));
    for (int i = 0; i < 2000; i++) {
      float f = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(f)) {
        floats.add(f);
      }
    }
    StringBuilder hex32 = new StringBuilder();
    for (float f : floats) {
      hex32.append(Integer.toHexString(Float.floatToRawIntBits(f))).append('\n');
    }
    Path doubles = tmp.resolve("doubles.txt");
    Path singles = tmp.resolve("singles.txt");
    try {
      java.nio.file.Files.writeString(doubles, hex);
      java.nio.file.Files.writeString(singles, hex32);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String out = PythonPeer.run("""
        import sys, struct, numpy as np
        for line in open(sys.argv[1]).read().split():
            print(repr(struct.unpack('<d', int(line, 16).to_bytes(8, 'little'))[0]))
        print('--')
        for line in open(sys.argv[2]).read().split():
            print(str(np.frombuffer(int(line, 16).to_bytes(4, 'little'), dtype='<f4')[0]))
        """, doubles.toString(), singles.toString());
    String[] parts = out.split("--\n");
    String[] expected = parts[0].split("\n");
    String[] expected32 = parts[1].split("\n");
    for (int i = 0; i < values.size(); i++) {
      assertEquals(expected[i], PythonFloat.repr(values.get(i)), "bits " + Long.toHexString(Double.doubleToRawLongBits(values.get(i))));
    }
    for (int i = 0; i < floats.size(); i++) {
      assertEquals(expected32[i], PythonFloat.repr(floats.get(i)), "float32 bits " + Integer.toHexString(Float.floatToRawIntBits(floats.get(i))));
    }
  }
}
