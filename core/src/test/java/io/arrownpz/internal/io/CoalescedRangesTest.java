package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.RemoteFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoalescedRangesTest {
  @TempDir Path tmp;

  private Path file(int size) throws Exception {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return Files.write(tmp.resolve("f"), bytes);
  }

  @Test
  void rangesCloserThanTheGapAreOneReadAndFartherOnesTwo() throws Exception {
    int gap = CoalescedRanges.MAX_GAP;
    Path path = file(4 * gap);
    try (RemoteFile remote = RemoteFile.open(path)) {
      // out of order, overlapping, a gap just under the limit, then one at the limit
      CoalescedRanges held = CoalescedRanges.fetch(remote, List.of(new long[] {1000, 2000},
          new long[] {10, 100}, new long[] {50, 1500}, new long[] {2000 + gap - 1, 2000 + gap + 10},
          new long[] {2000 + 2 * gap + 10, 2000 + 2 * gap + 20}));
      assertEquals(2, remote.reads());
      assertEquals(gap + 2010, held.held());
      byte[] all = Files.readAllBytes(path);
      for (long[] r : new long[][] {{10, 100}, {10, 2000 + gap + 10}, {1999 + gap, 2000 + gap + 10},
          {2000 + 2 * gap + 10, 2000 + 2 * gap + 20}}) {
        ByteBuffer into = ByteBuffer.allocate((int) (r[1] - r[0]));
        assertTrue(held.read(into, r[0]), r[0] + ".." + r[1]);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, (int) r[0], (int) r[1]), into.array());
        assertEquals(0, into.remaining());
      }
      assertEquals(2, remote.reads(), "served from what was fetched");
      for (long[] r : new long[][] {{0, 20}, {2000 + gap + 5, 2000 + gap + 11}, {2000 + gap + 10, 2000 + gap + 11},
          {2000 + 2 * gap + 15, 2000 + 2 * gap + 21}}) {
        ByteBuffer into = ByteBuffer.allocate((int) (r[1] - r[0]));
        assertFalse(held.read(into, r[0]), r[0] + ".." + r[1] + " is not wholly held");
        assertEquals(into.capacity(), into.remaining(), "untouched");
      }
    }
  }

  @Test
  void noReadIsLongerThanTheLimitAndNothingIsHeldPastTheBound() throws Exception {
    List<long[]> merged = CoalescedRanges.merge(List.of(new long[] {0, CoalescedRanges.MAX_READ - 10},
        new long[] {CoalescedRanges.MAX_READ - 5, CoalescedRanges.MAX_READ + 5}));
    assertEquals(2, merged.size());
    assertTrue(merged.stream().allMatch(r -> r[1] - r[0] <= CoalescedRanges.MAX_READ));
    Path path = file(1000);
    try (RemoteFile remote = RemoteFile.open(path)) {
      assertSame(CoalescedRanges.NONE, CoalescedRanges.fetch(remote, List.of(new long[] {0, 10},
          new long[] {CoalescedRanges.MAX_HELD, 2 * CoalescedRanges.MAX_HELD})));
      assertEquals(0, remote.reads(), "too much to hold: nothing read ahead");
    }
  }
}
