package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.arrownpz.pack.PackOptions;
import io.arrownpz.pack.Packer;
import io.arrownpz.pack.UnpackOptions;
import io.arrownpz.pack.Unpacker;
import io.arrownpz.testing.AllocatorExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A packed table, nulls included, through every format that holds lists, and unpacked again. */
class PackedFormatsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private VectorSchemaRoot events() {
    VarCharVector group = new VarCharVector("GroupID", memory.allocator());
    IntVector user = new IntVector("UserID", memory.allocator());
    Float8Vector value = new Float8Vector("Value", memory.allocator());
    VarCharVector name = new VarCharVector("EventName", memory.allocator());
    int rows = 1000;
    for (int r = 0; r < rows; r++) {
      int g = (r * 7919) % 130;
      group.setSafe(r, ("G" + g).getBytes(StandardCharsets.UTF_8));
      user.setSafe(r, g % 17);
      if (r % 9 == 0) {
        value.setNull(r);
        name.setNull(r);
      } else {
        value.setSafe(r, r * 0.5);
        name.setSafe(r, ("event " + r % 5).getBytes(StandardCharsets.UTF_8));
      }
    }
    for (FieldVector v : new FieldVector[] {group, user, value, name}) {
      v.setValueCount(rows);
    }
    return VectorSchemaRoot.of(group, user, value, name);
  }

  @ParameterizedTest
  @EnumSource(value = FileFormat.class, names = {"NPZ", "FEATHER", "IPC_STREAM", "PARQUET"})
  void packedTablesRoundTrip(FileFormat format) throws Exception {
    Path file = tmp.resolve("packed." + format.name().toLowerCase());
    Converter converter = new Converter(memory.allocator());
    try (VectorSchemaRoot events = events();
         VectorSchemaRoot packed = Packer.pack(events, memory.allocator(), PackOptions.byKeys("GroupID").detectScalar(true))) {
      converter.write(packed, file, format, ConvertOptions.DEFAULTS);
      try (VectorSchemaRoot read = converter.read(file, format, ConvertOptions.DEFAULTS);
           VectorSchemaRoot unpacked = Unpacker.unpack(read, memory.allocator(), UnpackOptions.DEFAULT)) {
        assertInstanceOf(ListVector.class, read.getVector("Value"));
        assertEquals(packed.contentToTSVString(), read.contentToTSVString());
        assertEquals(events.getRowCount(), unpacked.getRowCount());
      }
    }
  }
}
