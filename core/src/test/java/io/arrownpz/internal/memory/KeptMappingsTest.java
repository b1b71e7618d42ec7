package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.npy.NpyArray;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.arrow.memory.util.MemoryUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive opened again, unchanged, is read through the mapping of the last open (its pages already
 * touched); a file replaced is mapped anew and its old mapping let go; and what is kept stays within its
 * bounds, each mapping released once its last user closes it. (KeptDirectoriesTest shows that the values
 * read are the file's current ones, rewritten in place or replaced.)
 */
class KeptMappingsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private String firstMember(NpzArchive npz) {
    return npz.zip().entries().get(0).name();
  }

  @Test
  void anArchiveOpenedAgainIsReadThroughTheMappingOfTheLastOpen() throws IOException {
    Path file = tmp.resolve("numpy.npz");
    Files.copy(Fixtures.path("npz/many_members.npz"), file);
    try (NpzArchive one = NpzArchive.open(file); NpyArray a = one.array(firstMember(one), memory.allocator())) {
      try (NpzArchive two = NpzArchive.open(file); NpyArray b = two.array(firstMember(two), memory.allocator())) {
        assertEquals(a.dataAddress(), b.dataAddress(), "one mapping for both opens, not a second");
      }
    }
    KeptMappings.Key before = key(file);
    assertTrue(KeptMappings.SHARED.holds(before), "kept after every user closed it");

    // Another file at the same path: mapped anew, the old state's mapping no longer kept.
    Files.delete(file);
    Files.copy(Fixtures.path("npz/stored.npz"), file);
    try (NpzArchive npz = NpzArchive.open(file); NpyArray a = npz.array(firstMember(npz), memory.allocator())) {
      assertTrue(a.header().dim(0) > 0);
    }
    assertFalse(KeptMappings.SHARED.holds(before), "the replaced file is not held");
    assertTrue(KeptMappings.SHARED.holds(key(file)));
  }

  @Test
  void ourWriterReplacingAnArchiveLetsItsOldMappingGoAtOnce() throws IOException {
    Path file = tmp.resolve("rewritten.npz");
    float[] values = {1.5f, 2.5f, 3.5f};
    writeFloats(file, values);
    try (NpzArchive npz = NpzArchive.open(file); NpyArray a = npz.array("x", memory.allocator())) {
      assertEquals(2.5f, Float.intBitsToFloat(MemoryUtil.getInt(a.dataAddress() + 4)));
    }
    KeptMappings.Key old = key(file);
    assertTrue(KeptMappings.SHARED.holds(old));

    writeFloats(file, new float[] {7f, 8f, 9f, 10f});
    assertFalse(KeptMappings.SHARED.holds(old), "let go when the writer put the new file in place, before any open");
    try (NpzArchive npz = NpzArchive.open(file); NpyArray a = npz.array("x", memory.allocator())) {
      assertEquals(4, a.header().dim(0));
      assertEquals(10f, Float.intBitsToFloat(MemoryUtil.getInt(a.dataAddress() + 12)));
    }
  }

  private void writeFloats(Path file, float[] values) throws IOException {
    try (org.apache.arrow.vector.Float4Vector v = new org.apache.arrow.vector.Float4Vector("x", memory.allocator());
         io.arrownpz.npz.NpzWriter writer = io.arrownpz.npz.NpzWriter.create(file,
             io.arrownpz.npz.NpzWriteOptions.DEFAULTS)) {
      v.allocateNew(values.length);
      for (int i = 0; i < values.length; i++) {
        v.set(i, values[i]);
      }
      v.setValueCount(values.length);
      writer.add("x", v);
      writer.commit();
    }
  }

  private KeptMappings.Key key(Path file) throws IOException {
    return KeptMappings.Key.of(file, Files.readAttributes(file, BasicFileAttributes.class));
  }

  private Path file(String name, int bytes) throws IOException {
    Path file = tmp.resolve(name);
    byte[] content = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      content[i] = (byte) (i * 31 + name.length());
    }
    Files.write(file, content);
    return file;
  }

  @Test
  void keptWithinTheirBoundsTheEldestLetGoFirst() throws IOException {
    KeptMappings kept = new KeptMappings(2, 64 << 10);
    Path a = file("a", 10_000);
    Path b = file("b", 20_000);
    Path c = file("c", 30_000);
    MappedRegion first = kept.map(a, key(a), 10_000);
    first.close();
    assertTrue(first.isLive(), "kept after its user closed it");
    kept.map(b, key(b), 20_000).close();
    MappedRegion third = kept.map(c, key(c), 30_000);
    assertEquals(2, kept.size(), "at most two kept");
    assertFalse(first.isLive(), "the eldest let go, and released: nobody else held it");
    assertEquals(50_000, kept.bytes());
    assertEquals((byte) (29_999 * 31 + 1), MemoryUtil.getByte(third.address() + 29_999));

    Path big = file("big", 70_000);
    MappedRegion alone = kept.map(big, key(big), 70_000);
    assertEquals(2, kept.size(), "a mapping over the byte bound is not kept");
    alone.close();
    assertFalse(alone.isLive());

    MappedRegion again = kept.map(c, key(c), 30_000);
    assertEquals(third.address(), again.address(), "the kept one, retained");
    again.close();
    third.close();
    assertTrue(third.isLive(), "still kept");
    kept.clear();
    assertFalse(third.isLive(), "released once nothing keeps or uses it");
  }

  @Test
  void aPathNamingAnotherStateOfItsFileLetsTheOldMappingGo() throws IOException {
    KeptMappings kept = new KeptMappings(8, 1 << 20);
    Path f = file("f", 12_000);
    MappedRegion before = kept.map(f, key(f), 12_000);
    before.close();
    Files.write(f, new byte[13_000]);
    MappedRegion after = kept.map(f, key(f), 13_000);
    assertFalse(before.isLive(), "the old state is not held");
    assertEquals(1, kept.size());
    assertEquals(13_000, kept.bytes());
    assertEquals(0, MemoryUtil.getByte(after.address() + 12_999));
    after.close();
    kept.clear();
  }

  /**
   * Copies of settled files are kept apart from mappings, within their own bounds, and found by the whole
   * state; copying stops being asked for once they fill half of those bounds, and mappings keep their room.
   */
  @Test
  void copiesAreKeptApartFromMappingsWithinTheirOwnBounds() throws IOException {
    io.arrownpz.testing.FileStates.useTickWindow();
    try {
      KeptMappings kept = new KeptMappings(2, 1 << 20, 4, 1 << 20);
      Path m = file("m", 5_000);
      kept.map(m, key(m), 5_000).close();
      Path[] files = {file("c0", 3_000), file("c1", 3_001), file("c2", 3_002), file("c3", 3_003), file("c4", 3_004)};
      io.arrownpz.testing.FileStates.settle();
      assertTrue(kept.roomyForCopies());
      MappedRegion[] copies = new MappedRegion[files.length];
      for (int i = 0; i < files.length; i++) {
        io.arrownpz.internal.io.FileState state = io.arrownpz.internal.io.FileState.of(files[i]);
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(files[i])) {
          copies[i] = MappedRegion.readInState(files[i], channel, state);
        }
        assertEquals(0, copies[i].address() & 63, "aligned as a mapping is");
        assertEquals((byte) (2_999 * 31 + 2), MemoryUtil.getByte(copies[i].address() + 2_999), "the file's bytes");
        kept.keepCopy(new KeptMappings.Key(files[i], state, state.size(), null), copies[i]);
        copies[i].close();
        if (i == 1) {
          assertFalse(kept.roomyForCopies(), "half the copies it may keep: no more asked for");
        }
      }
      assertEquals(4, kept.keptCopies(), "at most four copies");
      assertFalse(copies[0].isLive(), "the eldest copy let go and freed");
      assertTrue(kept.holds(key(m)), "the mapping not pushed out by copies");
      assertEquals(5, kept.size());

      io.arrownpz.internal.io.FileState state = io.arrownpz.internal.io.FileState.of(files[4]);
      MappedRegion found = kept.get(new KeptMappings.Key(files[4], state, state.size(), null));
      assertEquals(copies[4].address(), found.address(), "found by the whole state");
      found.close();
      Files.write(files[4], new byte[3_004]); // another state of the same path: the copy goes
      io.arrownpz.internal.io.FileState rewritten = io.arrownpz.internal.io.FileState.current(files[4]);
      assertEquals(null, kept.get(new KeptMappings.Key(files[4], rewritten, rewritten.size(), null)));
      assertFalse(copies[4].isLive(), "the copy of the old state let go");
      kept.forgetUnder(tmp);
      assertEquals(0, kept.size());
    } finally {
      io.arrownpz.testing.FileStates.restoreWindow();
    }
  }
}
