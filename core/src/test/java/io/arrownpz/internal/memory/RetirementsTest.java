package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.arrow.memory.util.MemoryUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large mappings are retired off the releasing thread: a late read sees the file, then zeros, never a fault;
 * the wait is bounded; and ranges are reused once retired.
 */
class RetirementsTest {
  private static final int MIB = 1 << 20;

  @TempDir Path tmp;

  private Path sevens(int bytes) throws IOException {
    Path file = tmp.resolve("sevens-" + bytes + ".bin");
    byte[] sevens = new byte[bytes];
    Arrays.fill(sevens, (byte) 7);
    Files.write(file, sevens);
    return file;
  }

  @Test
  void aLargeReleasedMappingReadsTheFileOrZerosAndZerosOnceRetired() throws Exception {
    assertTrue(NativeMapper.AVAILABLE, "mmap through JNA on this platform");
    Path file = sevens(4 * MIB);
    Mapping m = NativeMapper.map(file, 0, 4 * MIB);
    long sum = 0;
    for (long i = 0; i < 4 * MIB; i += 4096) {
      sum += MemoryUtil.getByte(m.address() + i); // every page touched, as a read of a frame does
    }
    assertEquals(7L * (4 * MIB / 4096), sum);
    m.release();
    byte late = MemoryUtil.getByte(m.address() + 4 * MIB - 1); // a reader racing the close
    assertTrue(late == 7 || late == 0, "a late read saw " + late);
    assertTrue(Retirements.SHARED.awaitIdle(10_000), "retired within 10 s");
    assertEquals(0, MemoryUtil.getByte(m.address()));
    assertEquals(0, MemoryUtil.getByte(m.address() + 4 * MIB - 1));
  }

  @Test
  void releasesInABurstWaitBoundedAndTheirRangesAreReused() throws Exception {
    Path file = sevens(2 * MIB);
    Set<Long> addresses = new HashSet<>();
    int most = 0;
    for (int i = 0; i < 200; i++) {
      Mapping m = NativeMapper.map(file, 0, 2 * MIB);
      addresses.add(m.address());
      MemoryUtil.getByte(m.address() + MIB);
      m.release();
      most = Math.max(most, Retirements.SHARED.pending());
    }
    assertTrue(most <= Retirements.MAX_PENDING + 1, most + " mappings waited at once (one more is being retired)");
    // Without reuse each mapping would take a range of its own; with it, a few per mapping in flight (retired
    // ranges merge with their neighbours and are split again, so a mapping may land at another offset).
    assertTrue(addresses.size() <= 3 * (Retirements.MAX_PENDING + 1),
        "200 mappings in turn took " + addresses.size() + " address ranges");
    assertTrue(Retirements.SHARED.awaitIdle(10_000), "retired within 10 s");
    Mapping again = NativeMapper.map(file, 0, 2 * MIB);
    try {
      assertTrue(addresses.contains(again.address()), "a retired range is mapped again");
      assertEquals(7, MemoryUtil.getByte(again.address() + 2 * MIB - 1));
    } finally {
      again.release();
    }
  }

  @Test
  void smallAndVeryLargeMappingsAreRetiredByTheCaller() throws Exception {
    Path small = sevens(200_000);
    Mapping m = NativeMapper.map(small, 0, 200_000);
    MemoryUtil.getByte(m.address());
    m.release();
    assertEquals(0, MemoryUtil.getByte(m.address()), "retired before release returned");

    Path large = tmp.resolve("large.bin");
    try (var channel = java.nio.channels.FileChannel.open(large, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {7}), Retirements.MAX_SPAN + MIB); // sparse
    }
    Mapping big = NativeMapper.map(large, 0, Retirements.MAX_SPAN + MIB + 1);
    assertEquals(7, MemoryUtil.getByte(big.address() + Retirements.MAX_SPAN + MIB));
    big.release();
    assertEquals(0, MemoryUtil.getByte(big.address() + Retirements.MAX_SPAN + MIB), "retired before release returned");
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aLargeRetirementIsHandedOverAndAFullQueueIsWorkedByTheCaller() throws Exception {
    assertTrue(Retirements.SHARED.awaitIdle(10_000));
    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    Thread caller = Thread.currentThread();
    java.util.List<Thread> ranOn = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Runnable blocked = () -> {
      ranOn.add(Thread.currentThread());
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try {
      Retirements.SHARED.retire(2 * MIB, blocked); // in hand once the worker has it
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (ranOn.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(1, ranOn.size(), "the worker took the first");
      for (int i = 0; i < Retirements.MAX_PENDING; i++) { // then MAX_PENDING waiting
        Retirements.SHARED.retire(2 * MIB, blocked);
      }
      assertEquals(Retirements.MAX_PENDING + 1, Retirements.SHARED.pending(), "handed over, the caller not held");
      Retirements.SHARED.retire(2 * MIB, () -> ranOn.add(Thread.currentThread()));
      Retirements.SHARED.retire(64 * 1024, () -> ranOn.add(Thread.currentThread()));
      assertEquals(java.util.List.of(caller, caller), ranOn.subList(ranOn.size() - 2, ranOn.size()),
          "a full queue and a small span are the caller's own work");
    } finally {
      hold.countDown();
    }
    assertTrue(Retirements.SHARED.awaitIdle(10_000));
    assertTrue(ranOn.stream().filter(t -> t != caller).count() == Retirements.MAX_PENDING + 1,
        "the handed-over ones ran on the worker: " + ranOn);
  }
}
