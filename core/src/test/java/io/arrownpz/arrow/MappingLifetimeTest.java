package io.arrownpz.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.internal.memory.Region;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A vector over a mapping keeps it alive; the mapping goes exactly when the last user does. */
class MappingLifetimeTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void vectorOutlivesTheArray() throws IOException {
    NpyArray array = NpyFile.open(Fixtures.path("npy/le_f8.npy"));
    Region region = io.arrownpz.internal.npy.Internals.arrays().region(array);
    FieldVector vector = new NpyVectorReader(memory.allocator()).read(array, "x");
    array.close();
    assertTrue(region.isLive(), "the vector still holds the mapping");
    assertEquals(192.7459126050724, ((Float8Vector) vector).get(0));
    vector.close();
    assertFalse(region.isLive(), "released with the last vector");
  }

  @Test
  void arrayOutlivesTheVector() throws IOException {
    try (NpyArray array = NpyFile.open(Fixtures.path("npy/le_i8.npy"))) {
      new NpyVectorReader(memory.allocator()).read(array, "x").close();
      assertTrue(io.arrownpz.internal.npy.Internals.arrays().region(array).isLive());
    }
  }

  @Test
  void transferredVectorsAndSchemaRootsKeepItToo() throws IOException {
    NpyArray array = NpyFile.open(Fixtures.path("npy/le_f8.npy"));
    Region region = io.arrownpz.internal.npy.Internals.arrays().region(array);
    try (BufferAllocator child = memory.allocator().newChildAllocator("child", 0, Long.MAX_VALUE)) {
      FieldVector first = new NpyVectorReader(memory.allocator()).read(array, "x");
      array.close();
      var pair = first.getTransferPair(child);
      pair.transfer();
      first.close();
      try (VectorSchemaRoot root = VectorSchemaRoot.of((FieldVector) pair.getTo())) {
        assertTrue(region.isLive());
        assertEquals(7, root.getRowCount());
        assertTrue(Double.isNaN(((Float8Vector) root.getVector(0)).get(1)));
      }
    }
    assertFalse(region.isLive());
  }

  @Test
  void manyVectorsOverOneMapping() throws IOException {
    NpyArray array = NpyFile.open(Fixtures.path("npy/le_i4.npy"));
    Region region = io.arrownpz.internal.npy.Internals.arrays().region(array);
    NpyVectorReader reader = new NpyVectorReader(memory.allocator());
    FieldVector a = reader.read(array, "a");
    FieldVector b = reader.read(array, "b");
    array.close();
    a.close();
    assertTrue(region.isLive());
    b.close();
    assertFalse(region.isLive());
  }
}
