package io.arrownpz.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ViewVarBinaryVector;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Java writes, NumPy reads: every kind of array, compared value by value by NumPy itself. */
class NumpyInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /** Each fixture, read by us and written back, loads in NumPy equal to NumPy's own file. */
  @Test
  void numpyLoadsWhatWeWriteFromEveryFixture() throws IOException {
    PythonPeer.require("numpy");
    List<String> args = new ArrayList<>();
    for (JsonNode entry : Fixtures.ofKind("npy")) {
      Path original = Fixtures.path(entry.get("file").asText());
      Path ours = tmp.resolve(original.getFileName());
      try (NpyArray array = NpyFile.open(original);
           FieldVector vector = new NpyVectorReader(memory.allocator()).read(array, "x")) {
        NpyVectorWriter.of(vector).writeTo(ours);
      }
      args.add(original.toString());
      args.add(ours.toString());
    }
    String out = PythonPeer.run("""
        import sys, numpy as np
        pairs = sys.argv[1:]
        for theirs, ours in zip(pairs[0::2], pairs[1::2]):
            a, b = np.load(theirs), np.load(ours)
            assert a.dtype == b.dtype, (ours, a.dtype, b.dtype)
            assert a.shape == b.shape, (ours, a.shape, b.shape)
            if a.dtype.kind in 'fc':
                assert np.array_equal(a, b, equal_nan=True), ours
            elif a.dtype.kind in 'mM':
                assert np.array_equal(a.view('i8'), b.view('i8')), ours
            else:
                assert np.array_equal(a, b), ours
        print(len(pairs) // 2)
        """, args.toArray(String[]::new));
    assertEquals(Fixtures.ofKind("npy").size(), Integer.parseInt(out.strip()));
  }

  /** Vectors made in Java, with no NumPy metadata, get the dtype NumPy itself would pick. */
  @Test
  void numpyLoadsPlainArrowVectors() throws IOException {
    PythonPeer.require("numpy");
    var a = memory.allocator();
    List<FieldVector> vectors = new ArrayList<>();
    try {
      IntVector i4 = new IntVector("i4", a);
      vectors.add(i4);
      for (int v : new int[] {1, -2, Integer.MAX_VALUE}) {
        i4.setSafe(i4.getValueCount(), v);
        i4.setValueCount(i4.getValueCount() + 1);
      }
      BigIntVector i8 = new BigIntVector("i8", a);
      vectors.add(i8);
      i8.allocateNew(2);
      i8.set(0, Long.MIN_VALUE);
      i8.set(1, 42);
      i8.setValueCount(2);
      UInt1Vector u1 = new UInt1Vector("u1", a);
      vectors.add(u1);
      u1.allocateNew(2);
      u1.set(0, 255);
      u1.set(1, 0);
      u1.setValueCount(2);
      Float4Vector f4 = new Float4Vector("f4_with_null", a);
      vectors.add(f4);
      f4.allocateNew(3);
      f4.set(0, 1.5f);
      f4.setNull(1);
      f4.set(2, -0.0f);
      f4.setValueCount(3);
      Float2Vector f2 = new Float2Vector("f2", a);
      vectors.add(f2);
      f2.allocateNew(2);
      f2.setWithPossibleTruncate(0, 0.5f);
      f2.setWithPossibleTruncate(1, -2048f);
      f2.setValueCount(2);
      BitVector b1 = new BitVector("b1", a);
      vectors.add(b1);
      b1.allocateNew(9);
      for (int k = 0; k < 9; k++) {
        b1.set(k, k % 3 == 0 ? 1 : 0);
      }
      b1.setValueCount(9);
      TimeStampMicroVector ts = new TimeStampMicroVector("ts_us", a);
      vectors.add(ts);
      ts.allocateNew(2);
      ts.set(0, 1_700_000_000_000_000L);
      ts.setNull(1);
      ts.setValueCount(2);
      DateDayVector days = new DateDayVector("date", a);
      vectors.add(days);
      days.allocateNew(2);
      days.set(0, 19_000);
      days.set(1, -1);
      days.setValueCount(2);
      DurationVector dur = new DurationVector("dur_ms", FieldType.nullable(new ArrowType.Duration(TimeUnit.MILLISECOND)), a);
      vectors.add(dur);
      dur.allocateNew(1);
      dur.set(0, 1234);
      dur.setValueCount(1);
      VarCharVector text = new VarCharVector("text", a);
      vectors.add(text);
      text.allocateNew(3);
      text.set(0, "é中".getBytes(StandardCharsets.UTF_8));
      text.set(1, "".getBytes(StandardCharsets.UTF_8));
      text.set(2, "a😀z".getBytes(StandardCharsets.UTF_8));
      text.setValueCount(3);
      VarBinaryVector bytes = new VarBinaryVector("bytes", a);
      vectors.add(bytes);
      bytes.allocateNew(2);
      bytes.set(0, new byte[] {1, 0, 2});
      bytes.set(1, new byte[] {(byte) 0xff});
      bytes.setValueCount(2);
      FixedSizeBinaryVector fixed = new FixedSizeBinaryVector("fixed", a, 2);
      vectors.add(fixed);
      fixed.allocateNew(1);
      fixed.set(0, new byte[] {7, 8});
      fixed.setValueCount(1);

      List<String> args = new ArrayList<>();
      for (FieldVector v : vectors) {
        Path file = tmp.resolve(v.getName() + ".npy");
        NpyVectorWriter.of(v).writeTo(file);
        args.add(file.toString());
      }
      String out = PythonPeer.run("""
          import sys, os, numpy as np
          got = {os.path.basename(p)[:-4]: np.load(p) for p in sys.argv[1:]}
          expect = {
              'i4': np.array([1, -2, 2**31 - 1], '<i4'),
              'i8': np.array([-2**63, 42], '<i8'),
              'u1': np.array([255, 0], '|u1'),
              'f4_with_null': np.array([1.5, np.nan, -0.0], '<f4'),
              'f2': np.array([0.5, -2048], '<f2'),
              'b1': np.array([k % 3 == 0 for k in range(9)]),
              'ts_us': np.array([1_700_000_000_000_000, 'NaT'], '<M8[us]'),
              'date': np.array([19000, -1], '<M8[D]'),
              'dur_ms': np.array([1234], '<m8[ms]'),
              'text': np.array(['é中', '', 'a😀z'], '<U3'),
              'bytes': np.array([b'\\x01\\x00\\x02', b'\\xff'], '|S3'),
              'fixed': np.array([b'\\x07\\x08'], '|S2'),
          }
          assert set(got) == set(expect), set(got) ^ set(expect)
          for k, e in expect.items():
              g = got[k]
              assert g.dtype == e.dtype, (k, g.dtype, e.dtype)
              if e.dtype.kind in 'mM':
                  assert np.array_equal(g.view('i8'), e.view('i8')), (k, g, e)
              else:
                  assert np.array_equal(g, e, equal_nan=e.dtype.kind == 'f'), (k, g, e)
              if k == 'f4_with_null':
                  assert np.signbit(g[2])
          print('ok', len(got))
          """, args.toArray(String[]::new));
      assertEquals("ok " + vectors.size(), out.strip());
    } finally {
      vectors.forEach(FieldVector::close);
    }
  }

  /**
   * String and binary views (polars' layout): values of up to 12 bytes held in the view, longer ones in
   * data buffers, and a null whose view holds garbage (what a view of a null slot holds is undefined),
   * written as NPY and as a plain NPZ with its mask; NumPy loads the values, the null as "" under the mask.
   */
  @Test
  void numpyLoadsStringAndBinaryViews() throws IOException {
    PythonPeer.require("numpy");
    var a = memory.allocator();
    String[] words = {"short", "", "é中 more than twelve bytes", "a😀z", "twelve bytes"};
    try (ViewVarCharVector text = new ViewVarCharVector("text", a);
        ViewVarBinaryVector bytes = new ViewVarBinaryVector("bytes", a);
        ViewVarCharVector nulled = new ViewVarCharVector("nulled", a)) {
      text.allocateNew(words.length);
      bytes.allocateNew(words.length);
      nulled.allocateNew(words.length);
      for (int i = 0; i < words.length; i++) {
        text.setSafe(i, words[i].getBytes(StandardCharsets.UTF_8));
        bytes.setSafe(i, (words[i] + "\u0001").getBytes(StandardCharsets.UTF_8));
        nulled.setSafe(i, words[i].getBytes(StandardCharsets.UTF_8));
      }
      text.setValueCount(words.length);
      bytes.setValueCount(words.length);
      // Row 2: null, its view claiming 400 bytes in data buffer 7, which does not exist.
      nulled.setNull(2);
      nulled.getDataBuffer().setInt(16L * 2, 400);
      nulled.getDataBuffer().setInt(16L * 2 + 8, 7);
      nulled.setValueCount(words.length);
      NpyVectorWriter.of(text).writeTo(tmp.resolve("text.npy"));
      NpyVectorWriter.of(bytes).writeTo(tmp.resolve("bytes.npy"));
      // The table only groups the vector, which the try above closes.
      io.arrownpz.npz.PlainNpz.write(org.apache.arrow.vector.VectorSchemaRoot.of(nulled), tmp.resolve("nulled.npz"),
          io.arrownpz.npz.NpzWriteOptions.DEFAULTS);
    }
    String out = PythonPeer.run("""
        import sys, numpy as np
        words = sys.argv[2:]
        text = np.load(sys.argv[1] + '/text.npy')
        assert text.dtype == np.dtype('<U25') and text.tolist() == words, (text.dtype, text)
        data = np.load(sys.argv[1] + '/bytes.npy')
        want = [(w + '\\x01').encode() for w in words]
        assert data.dtype == np.dtype('|S%d' % max(map(len, want))) and data.tolist() == want, (data.dtype, data)
        z = np.load(sys.argv[1] + '/nulled.npz')
        assert z['nulled'].dtype == np.dtype('<U12'), z['nulled'].dtype  # the widest value that is not null
        assert z['nulled'].tolist() == words[:2] + [''] + words[3:], z['nulled']
        assert z['nulled.__mask__'].tolist() == [False, False, True, False, False]
        print('ok')
        """, tmp.toString(), words[0], words[1], words[2], words[3], words[4]);
    assertEquals("ok", out.strip());
  }
}
