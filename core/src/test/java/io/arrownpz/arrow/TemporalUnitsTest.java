package io.arrownpz.arrow;

import io.arrownpz.internal.arrow.TemporalUnits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A frame's datetime64[D] held as timestamp[ms], and written back as days. */
class TemporalUnitsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private DateDayVector days(int... values) {
    Field field = new Field("d", new FieldType(true, new ArrowType.Date(DateUnit.DAY), null,
        Map.of(NumpyMetadata.DESCR, "<M8[D]")), null);
    DateDayVector v = (DateDayVector) field.createVector(memory.allocator());
    v.allocateNew(values.length + 1);
    for (int i = 0; i < values.length; i++) {
      v.set(i, values[i]);
    }
    v.setNull(values.length);
    v.setValueCount(values.length + 1);
    return v;
  }

  @Test
  void daysBecomeSecondsAndWriteBackAsTheSameDays() throws IOException {
    try (FieldVector seconds = TemporalUnits.asMillis(days(-122_000, 0, 2_932_896))) {
      TimeStampMilliVector ts = (TimeStampMilliVector) seconds;
      assertEquals(-122_000L * 86_400_000, ts.get(0));
      assertTrue(ts.isNull(3));
      assertEquals("<M8[D]", ts.getField().getMetadata().get(NumpyMetadata.DESCR));
      Path npy = tmp.resolve("d.npy");
      NpyVectorWriter.of(seconds).writeTo(npy);
      try (NpyArray back = NpyFile.open(npy)) {
        assertEquals("<M8[D]", back.dtype().toString());
        ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
        data.position((int) (Files.size(npy) - 4 * 8));
        long[] got = new long[4];
        for (int i = 0; i < 4; i++) {
          got[i] = data.getLong();
        }
        assertArrayEquals(new long[] {-122_000, 0, 2_932_896, Long.MIN_VALUE}, got); // NaT for the null
      }
    }
  }

  @Test
  void secondsThatAreNotWholeDaysAreRefused() {
    try (FieldVector seconds = TemporalUnits.asMillis(days(1, 2))) {
      ((TimeStampMilliVector) seconds).set(1, 86_400_000L * 2 + 1);
      UnsupportedDataException e = assertThrows(UnsupportedDataException.class,
          () -> NpyVectorWriter.of(seconds).writeTo(tmp.resolve("bad.npy")));
      assertTrue(e.getMessage().contains("row 1 (172800001) is not a whole day"), e.getMessage());
    }
  }
}
