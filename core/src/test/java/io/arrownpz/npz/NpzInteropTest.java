package io.arrownpz.npz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import io.arrownpz.testing.VectorValues;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** NumPy writes and we read; we write (stored, deflated, aligned, ZIP64) and NumPy reads. */
class NpzInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /** Our STORED archive of NumPy's own arrays is byte for byte what np.savez writes. */
  @Test
  void storedOutputIsByteIdenticalToNumpy() throws IOException {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import sys, os, numpy as np
        d = sys.argv[1]
        arrays = {'a': np.arange(10, dtype='<i8'), 'b': np.linspace(0, 1, 10), 'c': np.array(['x', 'yz'] * 5),
                  'd': np.arange(10) % 3 == 0}
        np.savez(os.path.join(d, 'numpy.npz'), **arrays)
        for k, v in arrays.items():
            np.save(os.path.join(d, k + '.npy'), v)
        """, tmp.toString());
    try (NpzWriter writer = NpzWriter.create(tmp.resolve("ours.npz"), NpzWriteOptions.DEFAULTS)) {
      for (String key : List.of("a", "b", "c", "d")) {
        try (NpyArray array = NpyFile.open(tmp.resolve(key + ".npy"));
             FieldVector v = new NpyVectorReader(memory.allocator()).read(array, key)) {
          writer.add(key, v);
        }
      }
      writer.commit();
    }
    assertArrayEquals(Files.readAllBytes(tmp.resolve("numpy.npz")), Files.readAllBytes(tmp.resolve("ours.npz")));
  }

  /**
   * Members far apart (read from the file where their bytes are converted: bools packed, strings decoded)
   * and close together (taken from the mapping) give the same values as the same arrays saved alone.
   */
  @Test
  void sparseAndDenseArchivesReadTheSameValues() throws IOException {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import sys, os, numpy as np
        d = sys.argv[1]
        for name, n in (('sparse', 70000), ('dense', 300)):
            rng = np.random.default_rng(n)
            cols = {'b': rng.integers(0, 2, n).astype('?'), 'u': np.array([chr(0x3b1 + k % 20) * (k % 7) for k in range(n)]),
                    'i': rng.integers(-9, 9, n).astype('<i8'), 'f': rng.normal(size=n), 'b2': rng.integers(0, 5, n) == 0}
            np.savez(os.path.join(d, name + '.npz'), **cols)
            for k, v in cols.items():
                np.save(os.path.join(d, name + '_' + k + '.npy'), v)
        """, tmp.toString());
    for (String name : List.of("sparse", "dense")) {
      try (NpzArchive npz = NpzArchive.open(tmp.resolve(name + ".npz"))) {
        for (ZipEntry entry : npz.entries()) {
          String key = NpzArchive.key(entry.name());
          try (NpyArray fromArchive = npz.array(entry, memory.allocator());
               NpyArray alone = NpyFile.open(tmp.resolve(name + "_" + key + ".npy"));
               FieldVector read = new NpyVectorReader(memory.allocator()).read(fromArchive, key);
               FieldVector expected = new NpyVectorReader(memory.allocator()).read(alone, key)) {
            assertEquals(name.equals("sparse") ? 70000 : 300, read.getValueCount(), name + " " + key);
            assertEquals(VectorValues.flatten(expected), VectorValues.flatten(read), name + " " + key);
          }
        }
      }
    }
  }

  /**
   * A member read from the file (a far-apart bool member, packed on loading) of an archive cut short after
   * its open: an error naming the file, never a crash through the mapping's vanished pages.
   */
  @Test
  void archiveCutShortWhileReadGivesAnError() throws IOException {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1], f=np.arange(50000, dtype='<f8'), b=np.arange(100000) % 3 == 0)
        """, tmp.resolve("cut.npz").toString());
    Path file = tmp.resolve("cut.npz");
    try (NpzArchive npz = NpzArchive.open(file);
         NpyArray bools = npz.array("b", memory.allocator())) {
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
          java.nio.file.StandardOpenOption.WRITE)) {
        channel.truncate(npz.zip().dataOffset(npz.entry("b")) + 1000);
      }
      io.arrownpz.BadFileException e = assertThrows(io.arrownpz.BadFileException.class,
          () -> new NpyVectorReader(memory.allocator()).read(bools, "b").close());
      assertTrue(e.getMessage().contains("cut.npz") && e.getMessage().contains("b.npy")
          && e.getMessage().contains("changed while it was read"),
          e.getMessage());
    }
  }

  @Test
  void numpyWritesWeRead() throws IOException {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import sys, os, numpy as np
        d = sys.argv[1]
        rng = np.random.default_rng(7)
        cols = {'f': rng.normal(size=1000), 'i': rng.integers(-5, 5, 1000).astype('<i4'),
                't': np.arange(1000).astype('<M8[s]'), 's': np.array([str(k) for k in range(1000)])}
        np.savez(os.path.join(d, 'stored.npz'), **cols)
        np.savez_compressed(os.path.join(d, 'deflated.npz'), **cols)
        np.savez(os.path.join(d, 'many.npz'), **{f'm{k}': np.array([k, -k], dtype='<i8') for k in range(70000)})
        """, tmp.toString());
    for (String name : List.of("stored.npz", "deflated.npz")) {
      try (NpzArchive npz = NpzArchive.open(tmp.resolve(name));
           VectorSchemaRoot t = PlainNpz.read(npz, memory.allocator(), NpyReadOptions.DEFAULTS)) {
        assertEquals(1000, t.getRowCount());
        assertEquals(List.of("f", "i", "t", "s"), t.getSchema().getFields().stream().map(f -> f.getName()).toList());
        assertEquals("999", t.getVector("s").getObject(999).toString());
      }
    }
    try (NpzArchive stored = NpzArchive.open(tmp.resolve("stored.npz"));
         NpzArchive deflated = NpzArchive.open(tmp.resolve("deflated.npz"));
         VectorSchemaRoot a = PlainNpz.read(stored, memory.allocator(), NpyReadOptions.DEFAULTS);
         VectorSchemaRoot b = PlainNpz.read(deflated, memory.allocator(), NpyReadOptions.DEFAULTS)) {
      assertTrue(a.equals(b), "stored and deflated archives hold the same table");
    }
    try (NpzArchive many = NpzArchive.open(tmp.resolve("many.npz"))) {
      assertEquals(70000, many.entries().size());
      try (NpyArray last = many.array("m69999", memory.allocator());
           FieldVector v = new NpyVectorReader(memory.allocator()).read(last, "x")) {
        assertEquals(-69999L, ((Number) v.getObject(1)).longValue());
      }
    }
  }

  @Test
  void weWriteNumpyReads() throws IOException {
    PythonPeer.require("numpy");
    List<String> args = new ArrayList<>();
    args.add(tmp.toString());
    args.add(Fixtures.path("npz/stored.npz").toString());
    try (NpzArchive npz = NpzArchive.open(Fixtures.path("npz/stored.npz"))) {
      for (NpzWriteOptions options : List.of(NpzWriteOptions.DEFAULTS, NpzWriteOptions.DEFAULTS.withDeflate(true),
          NpzWriteOptions.DEFAULTS.withAlignment(64))) {
        String name = options.deflate() ? "deflated.npz" : options.alignment() > 0 ? "aligned.npz" : "stored.npz";
        try (NpzWriter writer = NpzWriter.create(tmp.resolve(name), options)) {
          for (ZipEntry entry : npz.entries()) {
            try (NpyArray array = npz.array(entry, memory.allocator());
                 FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "x")) {
              writer.add(NpzArchive.key(entry.name()), v);
            }
          }
          writer.commit();
        }
      }
    }
    try (NpzArchive aligned = NpzArchive.open(tmp.resolve("aligned.npz"))) {
      for (ZipEntry entry : aligned.entries()) {
        try (NpyArray array = aligned.array(entry, memory.allocator())) {
          assertEquals(0, (aligned.zip().dataOffset(entry) + array.header().dataOffset()) % 64, entry.name());
          assertEquals(0, array.dataAddress() % 64, "the mapped data is 64-byte aligned in memory too");
        }
      }
    }
    // ZIP64: more than 65,535 members.
    try (NpzWriter writer = NpzWriter.create(tmp.resolve("zip64.npz"), NpzWriteOptions.DEFAULTS);
         Float8Vector v = new Float8Vector("v", memory.allocator())) {
      v.allocateNew(2);
      for (int k = 0; k < 70_000; k++) {
        v.set(0, k);
        v.set(1, -k);
        v.setValueCount(2);
        writer.add("m" + k, v);
      }
      writer.commit();
    }
    String out = PythonPeer.run("""
        import sys, os, zipfile, numpy as np
        d = sys.argv[1]
        want = np.load(sys.argv[2])
        for name in ['stored.npz', 'deflated.npz', 'aligned.npz']:
            with np.load(os.path.join(d, name)) as got:
                assert list(got.keys()) == list(want.keys()), (name, list(got.keys()))
                for k in want.keys():
                    a, b = got[k], want[k]
                    assert a.dtype == b.dtype, (name, k)
                    if a.dtype.kind in 'mM':
                        assert np.array_equal(a.view('i8'), b.view('i8')), (name, k)
                    else:
                        assert np.array_equal(a, b, equal_nan=a.dtype.kind == 'f'), (name, k)
            with zipfile.ZipFile(os.path.join(d, name)) as z:
                assert z.testzip() is None, name
                kinds = {i.compress_type for i in z.infolist()}
                assert kinds == ({zipfile.ZIP_DEFLATED} if name == 'deflated.npz' else {zipfile.ZIP_STORED}), name
        with np.load(os.path.join(d, 'zip64.npz')) as z:
            assert len(z.files) == 70000
            assert z['m69999'].tolist() == [69999.0, -69999.0]
            assert z['m0'].tolist() == [0.0, -0.0]
        print('ok')
        """, args.toArray(String[]::new));
    assertEquals("ok", out.strip());
    try (NpzArchive zip64 = NpzArchive.open(tmp.resolve("zip64.npz"))) {
      assertEquals(70_000, zip64.entries().size());
    }
  }

  @Test
  void failedWriteLeavesNothing() throws IOException {
    Path target = tmp.resolve("out.npz");
    try (Float8Vector v = new Float8Vector("v", memory.allocator());
         // A decimal has no NumPy dtype: the write fails after the first member is written.
         org.apache.arrow.vector.DecimalVector bad = new org.apache.arrow.vector.DecimalVector("bad", memory.allocator(), 5, 2)) {
      v.allocateNew(1);
      v.set(0, 1);
      v.setValueCount(1);
      bad.allocateNew(1);
      bad.set(0, 12345L);
      bad.setValueCount(1);
      VectorSchemaRoot table = new VectorSchemaRoot(List.of(v, bad));
      assertThrows(io.arrownpz.UnsupportedDataException.class,
          () -> PlainNpz.write(table, target, NpzWriteOptions.DEFAULTS));
    }
    assertFalse(Files.exists(target));
    try (var files = Files.list(tmp)) {
      assertEquals(0, files.count(), "no temporary file left");
    }
  }
}
