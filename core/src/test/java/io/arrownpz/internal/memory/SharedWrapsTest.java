package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wraps made while a region shares them are slices of one buffer: they read the file, count the region
 * once against the allocator, outlive the stretch that made them, and keep the mapping until the last one
 * is released.
 */
class SharedWrapsTest {
  private static final int SIZE = 10_000;

  @TempDir Path tmp;

  @Test
  void slicesReadTheFileAndKeepTheMappingUntilTheLastIsReleased() throws IOException {
    Path file = counting();
    try (BufferAllocator allocator = new RootAllocator()) {
      MappedRegion region = MappedRegion.mapFile(file);
      ArrowBuf a;
      ArrowBuf b;
      try (SharedWraps shared = region.shareWraps(allocator)) {
        assertNotSame(SharedWraps.NONE, shared);
        a = region.wrap(allocator, 100, 50);
        b = region.wrap(allocator, 9_000, 1_000);
        assertSame(a.getReferenceManager(), b.getReferenceManager(), "slices of one buffer");
        assertEquals(SIZE, allocator.getAllocatedMemory(), "the region, counted once");
      }
      region.close(); // the owner's reference: the slices still hold the mapping
      assertTrue(region.isLive());
      assertEquals((byte) 100, a.getByte(0));
      assertEquals((byte) (9_999 & 0xFF), b.getByte(999));
      a.close();
      assertTrue(region.isLive());
      b.close();
      assertFalse(region.isLive(), "released with the last slice");
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void afterTheStretchAndForOtherAllocatorsWrapsAreAllocationsOfTheirOwn() throws IOException {
    Path file = counting();
    try (BufferAllocator allocator = new RootAllocator(); BufferAllocator other = new RootAllocator();
         MappedRegion region = MappedRegion.mapFile(file)) {
      try (SharedWraps shared = region.shareWraps(allocator);
           ArrowBuf sharedSlice = region.wrap(allocator, 0, 10);
           ArrowBuf elsewhere = region.wrap(other, 0, 10)) {
        assertSame(SharedWraps.NONE, region.shareWraps(allocator), "one stretch at a time");
        assertNotSame(sharedSlice.getReferenceManager(), elsewhere.getReferenceManager());
        assertEquals(10, other.getAllocatedMemory(), "only its own bytes");
      }
      try (ArrowBuf later = region.wrap(allocator, 20, 30)) {
        assertEquals(30, allocator.getAllocatedMemory(), "an allocation of its own once the stretch ended");
        assertEquals((byte) 20, later.getByte(0));
      }
    }
  }

  @Test
  void anAllocatorThatCouldNotCountTheWholeRegionSharesNothing() throws IOException {
    Path file = counting();
    try (BufferAllocator root = new RootAllocator();
         BufferAllocator small = root.newChildAllocator("small", 0, SIZE / 2);
         MappedRegion region = MappedRegion.mapFile(file)) {
      try (SharedWraps shared = region.shareWraps(small); ArrowBuf slice = region.wrap(small, 5, 100)) {
        assertSame(SharedWraps.NONE, shared);
        assertEquals(100, small.getAllocatedMemory());
        assertEquals((byte) 5, slice.getByte(0));
      }
    }
  }

  private Path counting() throws IOException {
    byte[] bytes = new byte[SIZE];
    for (int i = 0; i < SIZE; i++) {
      bytes[i] = (byte) i;
    }
    return Files.write(tmp.resolve("counting.bin"), bytes);
  }
}
