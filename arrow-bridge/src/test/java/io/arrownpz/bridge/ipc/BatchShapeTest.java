package io.arrownpz.bridge.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.arrownpz.testing.AllocatorExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The check of a batch's buffers against its column lengths: through the layout worked out once per
 * schema, and through the walk of a schema with string views (whose data buffers each batch counts), the
 * same answers and the same messages.
 */
class BatchShapeTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  private static final int ROWS = 5;

  /** Columns i (int), s (string), l (list of int), st (struct of one int), and a string view v if asked. */
  private VectorSchemaRoot table(boolean withView) {
    List<org.apache.arrow.vector.FieldVector> vectors = new ArrayList<>();
    IntVector i = new IntVector("i", memory.allocator());
    VarCharVector s = new VarCharVector("s", memory.allocator());
    ListVector l = ListVector.empty("l", memory.allocator());
    StructVector st = StructVector.empty("st", memory.allocator());
    IntVector a = st.addOrGet("a", FieldType.nullable(new ArrowType.Int(32, true)), IntVector.class);
    UnionListWriter writer = l.getWriter();
    for (int r = 0; r < ROWS; r++) {
      i.setSafe(r, r * 10);
      s.setSafe(r, ("row" + r).getBytes(StandardCharsets.UTF_8));
      writer.setPosition(r);
      writer.startList();
      for (int k = 0; k <= r; k++) {
        writer.integer().writeInt(r + k);
      }
      writer.endList();
      a.setSafe(r, -r);
      st.setIndexDefined(r);
    }
    vectors.add(i);
    vectors.add(s);
    vectors.add(l);
    vectors.add(st);
    if (withView) {
      ViewVarCharVector v = new ViewVarCharVector("v", memory.allocator());
      for (int r = 0; r < ROWS; r++) {
        v.setSafe(r, ("a string longer than twelve bytes " + r).getBytes(StandardCharsets.UTF_8));
      }
      vectors.add(v);
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(ROWS);
    return root;
  }

  @Test
  void soundBatchesPassBothWays() {
    for (boolean withView : new boolean[] {false, true}) {
      try (VectorSchemaRoot root = table(withView); ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
        Schema schema = root.getSchema();
        assertEquals(withView, BatchLayout.of(schema.getFields()) == null, "views have no layout of their own");
        assertNull(BatchShape.problem(schema, batch));
        assertNull(BatchShape.problem(schema, batch), "again, through the layout kept");
      }
    }
  }

  @Test
  void aListWhoseLastOffsetPassesItsValuesIsNamedBothWays() {
    for (boolean withView : new boolean[] {false, true}) {
      try (VectorSchemaRoot root = table(withView); ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
        // Buffers: i (validity, data), s (validity, offsets, data), l (validity, offsets), l's child (validity, data), ...
        ArrowBuf offsets = batch.getBuffers().get(6);
        offsets.setInt(ROWS * 4L, 1000);
        assertEquals("column 'l': its offsets run from 0 to 1000, outside its 15 child values",
            BatchShape.problem(root.getSchema(), batch));
      }
    }
  }

  @Test
  void aDataBufferTooSmallForItsValuesIsNamedBothWays() {
    for (boolean withView : new boolean[] {false, true}) {
      try (VectorSchemaRoot root = table(withView); ArrowRecordBatch whole = new VectorUnloader(root).getRecordBatch()) {
        List<ArrowBuf> buffers = new ArrayList<>(whole.getBuffers());
        ArrowBuf cut = buffers.get(1).slice(0, 12);
        cut.writerIndex(12);
        buffers.set(1, cut);
        try (ArrowRecordBatch batch = new ArrowRecordBatch(ROWS, whole.getNodes(), buffers,
            org.apache.arrow.vector.compression.NoCompressionCodec.DEFAULT_BODY_COMPRESSION,
            whole.getVariadicBufferCounts(), true)) {
          assertEquals("column 'i': its DATA buffer holds 12 bytes, but 5 values need 20",
              BatchShape.problem(root.getSchema(), batch));
        }
      }
    }
  }

  @Test
  void aBatchShortOfBuffersIsNamedByTheWalk() {
    try (VectorSchemaRoot root = table(false); ArrowRecordBatch whole = new VectorUnloader(root).getRecordBatch()) {
      List<ArrowBuf> buffers = whole.getBuffers().subList(0, 5);
      try (ArrowRecordBatch batch = new ArrowRecordBatch(ROWS, whole.getNodes(), buffers)) {
        String problem = BatchShape.problem(root.getSchema(), batch);
        assertNotNull(problem);
        assertEquals("the batch has too few buffers for field 'l'", problem);
      }
    }
  }
}
