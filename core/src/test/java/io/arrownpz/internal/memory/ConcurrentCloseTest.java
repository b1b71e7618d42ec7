package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NumpyTables;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.testing.AllocatorExtension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers of a mapped file racing the close of its table, many times over. Reading a closed vector is
 * the caller's bug, and an exception is a fair answer; a JVM crash (a read of unmapped memory) never is.
 * A crash here ends the test JVM, which fails the build.
 */
class ConcurrentCloseTest {
  private static final int N = 1 << 20;
  private static final int ROUNDS = 300;
  private static final int READERS = 4;

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /** Mapped, and read into memory ({@link io.arrownpz.ReadOptions#memoryMap()} false: a block kept for reuse). */
  @ParameterizedTest(name = "memoryMap {0}")
  @ValueSource(booleans = {true, false})
  void closingWhileOthersReadNeverCrashes(boolean memoryMap) throws Exception {
    Path file = tmp.resolve("x.npy");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(NpyHeaderCodec.encode(NpyDtype.parse("<f8"), false, new long[] {N})));
      ByteBuffer data = ByteBuffer.allocate(8 * N).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < N; i++) {
        data.putDouble(1.0);
      }
      ch.write(data.flip());
    }
    AtomicLong completedReads = new AtomicLong();
    AtomicLong refusedReads = new AtomicLong();
    for (int round = 0; round < ROUNDS; round++) {
      VectorSchemaRoot table = NumpyTables.read(file, memory.allocator(),
          io.arrownpz.ReadOptions.DEFAULTS.withMemoryMap(memoryMap));
      Float8Vector values = (Float8Vector) table.getVector(0);
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(READERS);
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < READERS; t++) {
        Thread reader = new Thread(() -> {
          started.countDown();
          while (!stop.get()) {
            try {
              double sum = 0;
              for (int i = 0; i < N; i += 64) {
                sum += values.get(i);
              }
              if (sum > 0) {
                completedReads.incrementAndGet();
              }
            } catch (RuntimeException closed) {
              refusedReads.incrementAndGet();
            }
          }
        });
        reader.start();
        readers.add(reader);
      }
      started.await();
      Thread.sleep(round % 3);
      table.close(); // the race: the readers are mid-loop
      if (round % 50 == 0) {
        System.gc(); // let unreachable mappings be unmapped while readers still run
      }
      Thread.sleep(1);
      stop.set(true);
      for (Thread reader : readers) {
        reader.join();
      }
    }
    assertTrue(completedReads.get() > 0, "the readers read");
    System.out.println("concurrent close (memoryMap " + memoryMap + "): " + ROUNDS + " rounds, " + completedReads.get() + " reads completed, "
        + refusedReads.get() + " refused after close, no crash");
  }
}
