package io.arrownpz.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Arrays large enough for the constant-time validity bitmap: values, nulls and isolation between vectors. */
class LargeArrayTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void largeVectorsAreAllValidAndIndependent() throws IOException {
    int n = 3_000_001;
    Path file = tmp.resolve("big.npy");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(NpyHeaderCodec.encode(NpyDtype.parse("<f8"), false, new long[] {n})));
      ByteBuffer data = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        data.putDouble(i * 0.5);
      }
      ch.write(data.flip());
    }
    NpyVectorReader reader = new NpyVectorReader(memory.allocator());
    try (NpyArray array = NpyFile.open(file);
         Float8Vector a = (Float8Vector) reader.read(array, "a");
         Float8Vector b = (Float8Vector) reader.read(array, "b")) {
      assertEquals(n, a.getValueCount());
      assertEquals(0, a.getNullCount());
      assertEquals((n - 1) * 0.5, a.get(n - 1));
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += a.get(i);
      }
      assertEquals(0.5 * (double) n * (n - 1) / 2, sum);
      a.setNull(7);
      assertTrue(a.isNull(7));
      assertEquals(1, a.getNullCount());
      assertFalse(b.isNull(7), "setting a null in one vector leaves the others alone");
      assertEquals(0, b.getNullCount());
    }
  }
}
