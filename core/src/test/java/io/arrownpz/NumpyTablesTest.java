package io.arrownpz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.zip.ZipArchive;
import io.arrownpz.zip.ZipEntry;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The front door: every NumPy-side kind of file read, written and described through one class. */
class NumpyTablesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private BufferAllocator allocator() {
    return memory.allocator();
  }

  /** Every value of every column, as Arrow Java gives it ({@code getObject}), for comparison. */
  private static List<List<Object>> columns(VectorSchemaRoot table) {
    return table.getFieldVectors().stream().map(v -> {
      List<Object> values = new java.util.ArrayList<>();
      for (int i = 0; i < v.getValueCount(); i++) {
        Object o = v.getObject(i);
        values.add(o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : o);
      }
      return values;
    }).toList();
  }

  /** Each kind of file reads as a table and, written back by name, reads back the same. */
  @Test
  void readsAndWritesEveryKind() throws Exception {
    for (String fixture : List.of("npy/le_i4.npy", "npz/many_members.npz", "npz/packed_events.npz",
        "sf/simple.npz", "sf/hierarchy.npz")) {
      Path input = Fixtures.path(fixture);
      Path copy = Files.createDirectories(tmp.resolve(fixture.replace('/', '_'))).resolve(input.getFileName());
      try (VectorSchemaRoot table = NumpyTables.read(input, allocator())) {
        assertTrue(table.getFieldVectors().size() > 0, fixture);
        NumpyTables.write(table, copy);
        try (VectorSchemaRoot back = NumpyTables.read(copy, allocator())) {
          assertEquals(table.getSchema(), back.getSchema(), fixture);
          assertEquals(columns(table), columns(back), fixture);
        }
      }
    }
    // A frame to an NPY directory and back.
    Path dir = tmp.resolve("frame-dir");
    try (VectorSchemaRoot frame = NumpyTables.read(Fixtures.path("sf/simple.npz"), allocator())) {
      NumpyTables.write(frame, dir, WriteOptions.DEFAULTS.withFormat(NumpyFormat.NPY_DIR));
      try (VectorSchemaRoot back = NumpyTables.read(dir, allocator())) {
        assertEquals(columns(frame), columns(back));
      }
    }
  }

  @Test
  void layoutsAndOptions() throws Exception {
    try (VectorSchemaRoot packed = NumpyTables.read(Fixtures.path("npz/packed_events.npz"), allocator());
         VectorSchemaRoot frame = NumpyTables.read(Fixtures.path("sf/simple.npz"), allocator());
         VectorSchemaRoot plain = NumpyTables.read(Fixtures.path("npz/many_members.npz"), allocator())) {
      assertEquals(io.arrownpz.npz.NpzLayout.PACKED, NumpyTables.layoutOf(packed));
      assertEquals(io.arrownpz.npz.NpzLayout.FRAME, NumpyTables.layoutOf(frame));
      assertEquals(io.arrownpz.npz.NpzLayout.PLAIN, NumpyTables.layoutOf(plain));
      // One member alone, by key.
      String key = plain.getFieldVectors().get(0).getName();
      try (VectorSchemaRoot one = NumpyTables.read(Fixtures.path("npz/many_members.npz"), allocator(),
          ReadOptions.DEFAULTS.withMember(key))) {
        assertEquals(columns(VectorSchemaRoot.of(plain.getVector(key))), columns(one));
      }
      // A table of several columns to .npy needs a column: the refusal says which choice gets past it.
      UnsupportedDataException refusal = assertThrows(UnsupportedDataException.class,
          () -> NumpyTables.write(plain, tmp.resolve("x.npy")));
      assertEquals(Remedy.CHOOSE_COLUMN, refusal.remedy());
      assertTrue(Files.notExists(tmp.resolve("x.npy")));
      NumpyTables.write(plain, tmp.resolve("x.npy"), WriteOptions.DEFAULTS.withColumn(key));
      try (VectorSchemaRoot one = NumpyTables.read(tmp.resolve("x.npy"), allocator())) {
        assertEquals(columns(VectorSchemaRoot.of(plain.getVector(key))), columns(one));
      }
      // A name that says no format needs one stated.
      assertThrows(IllegalArgumentException.class, () -> NumpyTables.write(plain, tmp.resolve("x.bin")));
      NumpyTables.write(plain, tmp.resolve("x.bin"), WriteOptions.DEFAULTS.withFormat(NumpyFormat.NPZ)
          .withNpz(NpzWriteOptions.DEFAULTS.withAlignment(64)));
      NpzInfo info = (NpzInfo) NumpyTables.describe(tmp.resolve("x.bin"));
      assertTrue(info.members().stream().allMatch(m -> Boolean.TRUE.equals(m.aligned())), info.toString());
    }
  }

  /** An .npy holds one column: a table's other columns may be of types NumPy lacks (a zoned timestamp here). */
  @Test
  void aColumnChosenForAnNpyIsTheOnlyOneThatMustFit() throws Exception {
    try (org.apache.arrow.vector.TimeStampMicroTZVector zoned =
             new org.apache.arrow.vector.TimeStampMicroTZVector("t", allocator(), "Europe/Paris");
         BigIntVector ints = new BigIntVector("i", allocator())) {
      zoned.allocateNew(2);
      zoned.setSafe(0, 0);
      zoned.setSafe(1, 86_400_000_000L);
      zoned.setValueCount(2);
      ints.allocateNew(2);
      ints.setSafe(0, 7);
      ints.setSafe(1, 8);
      ints.setValueCount(2);
      VectorSchemaRoot table = VectorSchemaRoot.of(zoned, ints);
      UnsupportedDataException zone = assertThrows(UnsupportedDataException.class,
          () -> NumpyTables.write(table, tmp.resolve("t.npy"), WriteOptions.DEFAULTS.withColumn("t")));
      assertEquals(Remedy.NEAREST_DTYPE, zone.remedy());
      NumpyTables.write(table, tmp.resolve("i.npy"), WriteOptions.DEFAULTS.withColumn("i"));
      try (VectorSchemaRoot back = NumpyTables.read(tmp.resolve("i.npy"), allocator())) {
        assertEquals(8L, ((BigIntVector) back.getVector(0)).get(1));
      }
    }
  }

  @Test
  void describesEachKindFromHeaders() throws Exception {
    NpyInfo npy = assertInstanceOf(NpyInfo.class, NumpyTables.describe(Fixtures.path("npy/f2d_i8.npy")));
    assertEquals("<i8", npy.descr());
    assertArrayEquals(new long[] {9, 5}, npy.shape());
    assertTrue(npy.fortranOrder());
    assertEquals("fixed_shape_tensor[value_type=int64, shape=[5]]", npy.arrowType());
    assertEquals(Files.size(Fixtures.path("npy/f2d_i8.npy")), npy.bytes());

    NpzInfo frame = assertInstanceOf(NpzInfo.class, NumpyTables.describe(Fixtures.path("sf/simple.npz")));
    assertEquals("frame", frame.layout());
    assertEquals("IndexDate", frame.frame().index().className());
    assertEquals(4, frame.frame().blocks().size());
    MemberInfo meta = frame.members().stream().filter(m -> m.name().equals("__meta__.json")).findFirst().orElseThrow();
    assertTrue(!meta.isArray() && meta.dataOffset() == null);

    // Members of different lengths are no table, but each is described; reading says which choice helps.
    NpzInfo deflated = assertInstanceOf(NpzInfo.class, NumpyTables.describe(Fixtures.path("npz/deflated.npz")));
    assertArrayEquals(new long[] {9}, deflated.members().get(3).shape());
    BadFileException uneven = assertThrows(BadFileException.class,
        () -> NumpyTables.read(Fixtures.path("npz/deflated.npz"), allocator()).close());
    assertEquals(Remedy.CHOOSE_MEMBER, uneven.remedy());
    assertTrue(deflated.members().stream().allMatch(m -> m.compression().equals("deflated") && m.dataOffset() == null));

    Path dir = tmp.resolve("d");
    try (VectorSchemaRoot table = NumpyTables.read(Fixtures.path("sf/simple.npz"), allocator())) {
      NumpyTables.write(table, dir, WriteOptions.DEFAULTS.withFormat(NumpyFormat.NPY_DIR));
    }
    NpyDirectoryInfo directory = assertInstanceOf(NpyDirectoryInfo.class, NumpyTables.describe(dir));
    assertEquals(frame.frame().shape()[0], directory.frame().shape()[0]);
    assertEquals(frame.frame().shape()[1], directory.frame().shape()[1]);

    BadFileException notFrame = assertThrows(BadFileException.class, () -> NumpyTables.describe(tmp));
    assertTrue(notFrame.problem().contains("not an NPY-directory frame"), notFrame.getMessage());
  }

  /**
   * describe inflates a compressed member only as far as its header: a member whose deflate stream is
   * broken past its first kilobytes is described, while reading it (every byte) is refused.
   */
  @Test
  void describeInflatesOnlyTheHeader() throws Exception {
    Path npz = tmp.resolve("big.npz");
    int n = 4_000_000; // 32 MB of int64 inflated, a few KB deflated
    try (BigIntVector v = new BigIntVector("big", allocator())) {
      v.allocateNew(n);
      for (int i = 0; i < n; i++) {
        v.set(i, i / 100_000);
      }
      v.setValueCount(n);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(v)) {
        NumpyTables.write(table, npz, WriteOptions.DEFAULTS.withNpz(NpzWriteOptions.DEFAULTS.withDeflate(true)));
      }
    }
    // A limit on inflating: the 32 MB member is refused before any memory is set aside for it.
    try (org.apache.arrow.memory.BufferAllocator small = allocator().newChildAllocator("small", 0, 1 << 20)) {
      BadFileException tooBig = assertThrows(BadFileException.class, () -> NumpyTables.read(npz, small,
          ReadOptions.DEFAULTS.withMaxInflatedBytes(1 << 20)).close());
      assertTrue(tooBig.problem().contains("more than the 1048576 allowed for inflating one member"), tooBig.getMessage());
      assertEquals(0, small.getPeakMemoryAllocation());
    }
    long end;
    try (ZipArchive zip = ZipArchive.open(npz)) {
      ZipEntry entry = zip.entries().get(0);
      end = zip.dataOffset(entry) + entry.compressedSize();
      assertTrue(entry.compressedSize() > 200, "too small to break past its start");
    }
    try (FileChannel ch = FileChannel.open(npz, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}), end - 40);
    }
    NpzInfo info = (NpzInfo) NumpyTables.describe(npz);
    assertEquals("<i8", info.members().get(0).descr());
    assertArrayEquals(new long[] {n}, info.members().get(0).shape());
    assertNull(info.members().get(0).dataOffset());
    BadFileException broken = assertThrows(BadFileException.class, () -> {
      try (VectorSchemaRoot t = NumpyTables.read(npz, allocator())) {
        assertEquals(n, t.getRowCount());
      }
    });
    assertEquals("big.npy", broken.member(), broken.getMessage());
  }

  /** Two columns of one name (or a column named like another's null mask) never become one NPZ member. */
  @Test
  void repeatedNamesAreRefused() throws Exception {
    try (BigIntVector a = new BigIntVector("r", allocator()); BigIntVector b = new BigIntVector("r", allocator())) {
      a.allocateNew(2);
      b.allocateNew(2);
      a.set(0, 1);
      a.setNull(1);
      b.set(0, 2);
      b.set(1, 3);
      a.setValueCount(2);
      b.setValueCount(2);
      Path out = tmp.resolve("dup.npz");
      // Roots not closed here: closing one would close the vectors the next case uses.
      VectorSchemaRoot twoRs = new VectorSchemaRoot(List.of(a.getField(), b.getField()), List.of(a, b), 2);
      UnsupportedDataException e = assertThrows(UnsupportedDataException.class, () -> NumpyTables.write(twoRs, out));
      assertTrue(e.getMessage().contains("a second member named 'r.npy'"), e.getMessage());
      try (BigIntVector mask = new BigIntVector("r.__mask__", allocator())) {
        mask.allocateNew(2);
        mask.setValueCount(2);
        VectorSchemaRoot maskName = new VectorSchemaRoot(List.of(a.getField(), mask.getField()), List.of(a, mask), 2);
        UnsupportedDataException clash = assertThrows(UnsupportedDataException.class,
            () -> NumpyTables.write(maskName, out));
        assertTrue(clash.getMessage().contains("'r.__mask__.npy'"), clash.getMessage());
      }
      assertTrue(Files.notExists(out), "nothing written");
    }
  }

  /**
   * Values NumPy's fixed-width dtypes would change are refused, not written: bytes or text ending in a NUL
   * (which 'S' and 'U' drop on reading). Found by the round-trip properties.
   */
  @Test
  void valuesNumpyWouldChangeAreRefused() throws Exception {
    try (org.apache.arrow.vector.VarBinaryVector bytes = new org.apache.arrow.vector.VarBinaryVector("b", allocator());
         org.apache.arrow.vector.VarCharVector text = new org.apache.arrow.vector.VarCharVector("t", allocator())) {
      bytes.allocateNew();
      bytes.setSafe(0, new byte[] {1, 2});
      bytes.setSafe(1, new byte[] {(byte) 0x8b, (byte) 0xed, 0});
      bytes.setValueCount(2);
      text.allocateNew();
      text.setSafe(0, "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      text.setSafe(1, "nul\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      text.setValueCount(2);
      for (org.apache.arrow.vector.FieldVector column : List.<org.apache.arrow.vector.FieldVector>of(bytes, text)) {
        VectorSchemaRoot table = VectorSchemaRoot.of(column);
        UnsupportedDataException e = assertThrows(UnsupportedDataException.class,
            () -> NumpyTables.write(table, tmp.resolve("x.npz")));
        assertTrue(e.getMessage().contains("row 1 ends in a NUL"), e.getMessage());
      }
      assertTrue(Files.notExists(tmp.resolve("x.npz")));
    }
  }

  /**
   * An NPZ whose arrays differ in length (np.savez of model weights) is a set of tables: one per member,
   * a member's NAME.__mask__ its nulls, not a table; each read alone (the mask applied) or all at once,
   * equal to what NumPy wrote. An archive of one length and a frame are one table.
   */
  @Test
  void anArchiveOfArraysOfDifferentLengthsIsASetOfTables() throws Exception {
    io.arrownpz.testing.PythonPeer.require("numpy");
    Path npz = tmp.resolve("weights.npz");
    String expected = io.arrownpz.testing.PythonPeer.run("""
        import sys, numpy as np
        rng = np.random.default_rng(57)
        a, b = np.arange(10), rng.random(7)
        c, mask = np.array(['x', 'yy', 'zzz']), np.array([False, True, False])
        np.savez(sys.argv[1], a=a, b=b, c=c, **{'c.__mask__': mask}, w=np.ones((3, 4)))
        print(repr(float(b.sum())))
        """, npz.toString()).strip();
    assertEquals(List.of("a", "b", "c", "w"), NumpyTables.tables(npz));
    assertEquals(List.of(), NumpyTables.tables(Fixtures.path("npz/many_members.npz")));
    assertEquals(List.of(), NumpyTables.tables(Fixtures.path("sf/simple.npz")));
    assertEquals(List.of("a", "b", "c", "w"), assertInstanceOf(NpzInfo.class, NumpyTables.describe(npz)).tables());
    BadFileException refused = assertThrows(BadFileException.class, () -> NumpyTables.read(npz, allocator()).close());
    assertTrue(refused.getMessage().contains("set of tables") && !refused.getMessage().contains("__mask__"),
        refused.getMessage());
    java.util.Map<String, VectorSchemaRoot> each = NumpyTables.readEach(npz, allocator(), ReadOptions.DEFAULTS);
    try {
      assertEquals(List.of("a", "b", "c", "w"), List.copyOf(each.keySet()));
      assertEquals(10, each.get("a").getRowCount());
      double sum = 0;
      org.apache.arrow.vector.Float8Vector b = (org.apache.arrow.vector.Float8Vector) each.get("b").getVector("b");
      for (int i = 0; i < b.getValueCount(); i++) {
        sum += b.get(i);
      }
      assertEquals(Double.parseDouble(expected), sum, 1e-12);
      org.apache.arrow.vector.FieldVector c = each.get("c").getVector("c");
      assertEquals(List.of("x", "null", "zzz"), List.of(String.valueOf(c.getObject(0)), String.valueOf(c.getObject(1)),
          String.valueOf(c.getObject(2))));
      assertEquals(3, each.get("w").getRowCount());
    } finally {
      each.values().forEach(VectorSchemaRoot::close);
    }
    try (VectorSchemaRoot c = NumpyTables.read(npz, allocator(), ReadOptions.DEFAULTS.withMember("c"))) {
      assertTrue(c.getVector(0).isNull(1) && !c.getVector(0).isNull(0), "the member's mask is its nulls");
    }
  }
}
