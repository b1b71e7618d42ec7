package io.arrownpz.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.npz.NpzWriter;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive opened again reads the values that are in it now, whether it is unchanged (its members'
 * headers kept from the first open), rewritten in place with the same size and even its old modification
 * time put back (the central directory's CRC-32s tell), or replaced by a rename; kept headers stay whole
 * however callers move through the buffers they are given; and the kept directories stay within their bound.
 */
class KeptDirectoriesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /**
   * Members are found by name whatever the order they are asked for in (stored order is looked up by
   * walking the directory); an archive where two members share a name is refused at open, naming it.
   */
  @Test
  void membersAreFoundInAnyOrderAndTwoOfOneNameAreRefused() throws IOException {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import io, sys, warnings, zipfile, numpy as np
        d = sys.argv[1]
        np.savez(d + '/many.npz', **{'m%d' % i: np.full(3, i, dtype='<i8') for i in range(30)})
        def npy(value):
            out = io.BytesIO()
            np.save(out, np.full(3, value, dtype='<i8'))
            return out.getvalue()
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # zipfile warns of the duplicate name, and writes it
            with zipfile.ZipFile(d + '/twice.npz', 'w') as z:
                z.writestr('a.npy', npy(1))
                z.writestr('b.npy', npy(2))
                z.writestr('a.npy', npy(3))
        assert np.load(d + '/twice.npz')['a'][0] == 3
        """, tmp.toString());
    for (int pass = 0; pass < 2; pass++) { // a first open, and one with the kept directory
      try (NpzArchive npz = NpzArchive.open(tmp.resolve("many.npz"))) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          order.add(i < 20 ? i : 49 - i); // stored order, then backwards, then a jump back
        }
        order.add(3);
        for (int i : order) {
          assertEquals(i, firstValue(npz, "m" + i + ".npy"), "m" + i);
        }
      }
    }
    BadFileException twice = assertThrows(BadFileException.class, () -> NpzArchive.open(tmp.resolve("twice.npz")));
    assertTrue(twice.getMessage().contains("twice.npz") && twice.getMessage().contains("a.npy"), twice.getMessage());
  }

  private long firstValue(NpzArchive npz, String member) throws IOException {
    try (NpyArray array = npz.array(npz.zip().entry(member), memory.allocator())) {
      return MemoryUtil.getLong(array.dataAddress());
    }
  }

  @Test
  void reopenedArchivesReadTheirCurrentValues() throws IOException {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import os, sys, numpy as np
        d = sys.argv[1]
        # The second has the first's layout, names and sizes, but doubles where the first has integers: only
        # the NPY headers inside the members and the CRC-32s in the directory tell them apart.
        for name, k, dtype in (('first', 1, np.int64), ('second', 2, np.float64), ('third', 3, np.int64)):
            np.savez(d + '/' + name + '.npz', **{'a%d' % i: (np.arange(50) * k + i).astype(dtype) for i in range(40)})
        """, tmp.toString());
    Path file = tmp.resolve("data.npz");
    Files.copy(tmp.resolve("first.npz"), file);
    for (int pass = 0; pass < 3; pass++) { // the second and third opens use what the first learnt
      assertValues(file, 1);
    }
    Object first = contentIdentity(file);
    assertSame(first, contentIdentity(file), "unchanged: the same content identity");
    // Rewritten in place: same size, and its old modification time put back; only the contents differ.
    BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
    Files.write(file, Files.readAllBytes(tmp.resolve("second.npz")));
    Files.setLastModifiedTime(file, before.lastModifiedTime());
    assertEquals(before.size(), Files.size(file));
    assertValues(file, 2);
    Object second = contentIdentity(file);
    assertNotSame(first, second, "rewritten in place: another content identity");
    // Replaced by a rename: another file at the same path.
    Files.move(tmp.resolve("third.npz"), file, StandardCopyOption.REPLACE_EXISTING);
    assertValues(file, 3);
    assertValues(file, 3);
    assertNotSame(second, contentIdentity(file), "replaced: another content identity");
  }

  private static Object contentIdentity(Path file) throws IOException {
    try (ZipArchive zip = ZipArchive.open(file)) {
      return zip.contentIdentity();
    }
  }

  private void assertValues(Path file, int k) throws IOException {
    try (NpzArchive npz = NpzArchive.open(file)) {
      for (int i = 0; i < 40; i++) {
        // A caller that reads its header buffer through (moving it) leaves the kept one as it was.
        ByteBuffer prefix = npz.zip().prefix(npz.entry("a" + i + ".npy"), 128);
        while (prefix.hasRemaining()) {
          prefix.get();
        }
        try (NpyArray a = npz.array("a" + i + ".npy", memory.allocator())) {
          assertEquals(50, a.header().dim(0));
          assertEquals(k == 2 ? "<f8" : "<i8", a.dtype().descr(), "a" + i);
          for (int r = 0; r < 50; r++) {
            long at = a.dataAddress() + 8L * r;
            Number value = k == 2 ? (Number) Double.longBitsToDouble(MemoryUtil.getLong(at)) : (Number) MemoryUtil.getLong(at);
            assertEquals(k == 2 ? (Number) (double) (r * k + i) : (Number) (long) (r * k + i), value,
                "a" + i + "[" + r + "]");
          }
        }
      }
    }
  }

  @Test
  void keptHeadsAreTheHeadsReadAndTheBoundHolds() throws IOException {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import sys, numpy as np
        for n in range(5):
            np.savez(sys.argv[1] + '/k%d.npz' % n, **{'m%d' % i: np.arange(n + i) for i in range(10)})
        """, tmp.toString());
    Directories kept = new Directories(25);
    List<Directory> made = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      try (ZipArchive zip = ZipArchive.open(tmp.resolve("k" + n + ".npz"))) {
        Directory d = new Directory(0, new byte[0], zip.entries());
        for (ZipEntry e : zip.entries()) {
          ZipArchive.Head read = zip.head(e, 200);
          d.remember(e, 200, read);
          ZipArchive.Head again = d.head(e, 100);
          assertEquals(read.dataOffset(), again.dataOffset());
          byte[] a = new byte[Math.min(100, read.prefix().remaining())];
          read.prefix().get(read.prefix().position(), a);
          byte[] b = new byte[again.prefix().remaining()];
          again.prefix().get(b);
          assertArrayEquals(a, b, e.name());
          assertNull(d.head(e, 300), "asked for more than was read: read again");
        }
        made.add(d);
        kept.put(new io.arrownpz.internal.memory.KeptMappings.Key(tmp.resolve("k" + n), null, n, null), d);
        assertEquals(true, kept.members() <= 25, "bound");
      }
    }
    assertEquals(2, kept.size(), "the two most recent of 10 members each");
    assertSame(made.get(4), kept.get(new io.arrownpz.internal.memory.KeptMappings.Key(tmp.resolve("k4"), null, 4, null), 0, ByteBuffer.allocate(0)));
    assertNull(kept.get(new io.arrownpz.internal.memory.KeptMappings.Key(tmp.resolve("k0"), null, 0, null), 0, ByteBuffer.allocate(0)), "dropped");
  }

  /**
   * What our writer writes, it tells the archive layer as it commits: the next open finds the members and
   * every member's head (the first bytes of a STORED one, where the data of each starts) kept, exactly as a
   * read of the file gives them, and reads the values written.
   */
  @Test
  void anArchiveWeWriteIsKeptWithTheHeadsItHas() throws IOException {
    Path file = tmp.resolve("ours.npz");
    for (boolean deflate : new boolean[] {false, true}) {
      try (BigIntVector tiny = new BigIntVector("tiny", memory.allocator());
           Float8Vector big = new Float8Vector("big", memory.allocator())) {
        tiny.allocateNew(3);
        for (int i = 0; i < 3; i++) {
          tiny.set(i, 7L * i);
        }
        tiny.setValueCount(3);
        big.allocateNew(10_000);
        for (int i = 0; i < 10_000; i++) {
          big.set(i, i / 4.0);
        }
        big.setValueCount(10_000);
        try (NpzWriter writer = NpzWriter.create(file, new NpzWriteOptions(deflate, 0))) {
          writer.add("tiny", tiny);
          writer.add("big", big);
          writer.commit();
        }
      }
      byte[] bytes = Files.readAllBytes(file);
      ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int end = bytes.length - 22; // no comment, no ZIP64 records at this size
      int cdSize = all.getInt(end + 12);
      int cdOffset = all.getInt(end + 16);
      Directory kept = Directories.SHARED.get(io.arrownpz.internal.memory.KeptMappings.Key.of(file, Files.readAttributes(file, BasicFileAttributes.class)),
          cdOffset, ByteBuffer.wrap(bytes, cdOffset, cdSize).slice());
      assertNotNull(kept, "kept by the writer, deflate " + deflate);
      assertEquals(2, kept.entries.size());
      for (ZipEntry e : kept.entries) {
        int asked = e.isStored() ? ZipArchive.USUAL_HEAD_BYTES : 0;
        ZipArchive.Head head = kept.head(e, asked);
        assertNotNull(head, e.name());
        int local = (int) e.localHeaderOffset();
        long dataOffset = local + 30 + (all.getShort(local + 26) & 0xFFFF) + (all.getShort(local + 28) & 0xFFFF);
        assertEquals(dataOffset, head.dataOffset(), e.name());
        byte[] expected = Arrays.copyOfRange(bytes, (int) dataOffset, (int) (dataOffset + Math.min(asked, e.compressedSize())));
        byte[] got = new byte[head.prefix().remaining()];
        head.prefix().get(head.prefix().position(), got);
        assertArrayEquals(expected, got, e.name());
      }
      try (NpzArchive npz = NpzArchive.open(file);
           NpyArray tiny = npz.array("tiny.npy", memory.allocator());
           NpyArray big = npz.array("big.npy", memory.allocator())) {
        assertEquals(14L, MemoryUtil.getLong(tiny.dataAddress() + 16));
        assertEquals(9_999 / 4.0, Double.longBitsToDouble(MemoryUtil.getLong(big.dataAddress() + 8L * 9_999)));
      }
    }
  }
}
