package io.arrownpz.pack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampSecVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.util.Text;

/** Event tables for the pack tests, and a plain reference implementation of grouping to compare with. */
final class EventTables {
  private EventTables() {}

  /** The framezip article's nine events in three sessions. */
  static VectorSchemaRoot seed(BufferAllocator allocator) {
    String[][] rows = {
        {"G001", "E101", "Login", "2025-07-30T09:15:23", "U001", "Successful login"},
        {"G001", "E102", "View Dashboard", "2025-07-30T09:16:10", "U001", "Loaded user dashboard"},
        {"G001", "E103", "Download Report", "2025-07-30T09:18:44", "U001", "Report ID: R567"},
        {"G002", "E201", "Login", "2025-07-30T10:02:11", "U002", "Failed password (2 attempts)"},
        {"G002", "E202", "Password Reset", "2025-07-30T10:04:55", "U002", "Sent reset email"},
        {"G002", "E203", "Login", "2025-07-30T10:10:32", "U002", "Successful login"},
        {"G003", "E301", "Add to Cart", "2025-07-30T11:20:14", "U003", "Item ID: P908"},
        {"G003", "E302", "Checkout", "2025-07-30T11:25:00", "U003", "Order ID: O12345"},
        {"G003", "E303", "Payment Success", "2025-07-30T11:27:10", "U003", "Payment via credit card"},
    };
    VarCharVector group = new VarCharVector("GroupID", allocator);
    VarCharVector event = new VarCharVector("EventID", allocator);
    VarCharVector name = new VarCharVector("EventName", allocator);
    TimeStampSecVector time = new TimeStampSecVector("Timestamp", allocator);
    VarCharVector user = new VarCharVector("UserID", allocator);
    VarCharVector details = new VarCharVector("Details", allocator);
    for (int r = 0; r < rows.length; r++) {
      group.setSafe(r, bytes(rows[r][0]));
      event.setSafe(r, bytes(rows[r][1]));
      name.setSafe(r, bytes(rows[r][2]));
      time.setSafe(r, java.time.LocalDateTime.parse(rows[r][3]).toEpochSecond(java.time.ZoneOffset.UTC));
      user.setSafe(r, bytes(rows[r][4]));
      details.setSafe(r, bytes(rows[r][5]));
    }
    return VectorSchemaRoot.of(counted(rows.length, group, event, name, time, user, details));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static FieldVector[] counted(int rows, FieldVector... vectors) {
    for (FieldVector v : vectors) {
      v.setValueCount(rows);
    }
    return vectors;
  }

  /**
   * Random events: a group key drawn from {@code groups} values (some null when {@code nulls}), and a
   * column of most Arrow types, each with some nulls when {@code nulls}.
   */
  static VectorSchemaRoot random(BufferAllocator allocator, int rows, int groups, boolean nulls, long seed) {
    Random random = new Random(seed);
    BigIntVector key = new BigIntVector("key", allocator);
    VarCharVector key2 = new VarCharVector("key2", allocator);
    TinyIntVector i8 = new TinyIntVector("i8", allocator);
    SmallIntVector i16 = new SmallIntVector("i16", allocator);
    IntVector i32 = new IntVector("i32", allocator);
    UInt4Vector u32 = new UInt4Vector("u32", allocator);
    Float4Vector f32 = new Float4Vector("f32", allocator);
    Float8Vector f64 = new Float8Vector("f64", allocator);
    BitVector flag = new BitVector("flag", allocator);
    VarCharVector text = new VarCharVector("text", allocator);
    LargeVarCharVector large = new LargeVarCharVector("large", allocator);
    VarBinaryVector blob = new VarBinaryVector("blob", allocator);
    FixedSizeBinaryVector fixed = new FixedSizeBinaryVector("fixed", allocator, 3);
    DateDayVector day = new DateDayVector("day", allocator);
    TimeStampMicroVector time = new TimeStampMicroVector("time", allocator);
    DecimalVector decimal = new DecimalVector("decimal", allocator, 20, 4);
    ListVector tags = ListVector.empty("tags", allocator);
    UnionListWriter tagWriter = tags.getWriter();
    for (int r = 0; r < rows; r++) {
      boolean nullRow = nulls && random.nextInt(10) == 0;
      int g = random.nextInt(groups);
      if (nulls && random.nextInt(20) == 0) {
        key.setNull(r);
      } else {
        key.setSafe(r, g * 7919L);
      }
      key2.setSafe(r, bytes(g % 3 == 0 ? "a" : "b"));
      if (nullRow) {
        for (FieldVector v : List.<FieldVector>of(i8, i16, i32, u32, f32, f64, flag, text, large, blob, fixed, day,
            time, decimal)) {
          setNull(v, r);
        }
        tagWriter.setPosition(r);
        tagWriter.writeNull();
        continue;
      }
      i8.setSafe(r, random.nextInt(256) - 128);
      i16.setSafe(r, random.nextInt(65536) - 32768);
      i32.setSafe(r, random.nextInt());
      u32.setSafe(r, random.nextInt());
      f32.setSafe(r, random.nextFloat());
      f64.setSafe(r, random.nextGaussian());
      flag.setSafe(r, random.nextBoolean() ? 1 : 0);
      text.setSafe(r, bytes("t" + random.nextInt(1000) + "é".repeat(random.nextInt(3))));
      large.setSafe(r, new Text("L" + random.nextInt(50)));
      byte[] b = new byte[random.nextInt(5)];
      random.nextBytes(b);
      if (b.length > 0 && b[b.length - 1] == 0) {
        b[b.length - 1] = 1; // NumPy's S dtype cannot end a value in NUL (refused); these tables round-trip
      }
      blob.setSafe(r, b);
      fixed.setSafe(r, new byte[] {(byte) r, (byte) g, 7});
      day.setSafe(r, 19000 + random.nextInt(1000));
      time.setSafe(r, random.nextLong() >> 12);
      decimal.setSafe(r, java.math.BigDecimal.valueOf(random.nextInt(1_000_000), 4));
      tagWriter.setPosition(r);
      tagWriter.startList();
      for (int t = random.nextInt(3); t > 0; t--) {
        tagWriter.integer().writeInt(random.nextInt(100));
      }
      tagWriter.endList();
    }
    tags.setValueCount(rows);
    return VectorSchemaRoot.of(counted(rows, key, key2, i8, i16, i32, u32, f32, f64, flag, text, large, blob, fixed,
        day, time, decimal, tags));
  }

  private static void setNull(FieldVector v, int row) {
    if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector f) {
      f.setNull(row);
    } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector w) {
      w.setNull(row);
    } else if (v instanceof org.apache.arrow.vector.BaseLargeVariableWidthVector w) {
      w.setNull(row);
    }
  }

  /** A value made comparable with equals (byte arrays become lists). */
  static Object value(FieldVector v, int row) {
    Object o = v.getObject(row);
    if (o instanceof byte[] b) {
      List<Byte> list = new ArrayList<>();
      for (byte x : b) {
        list.add(x);
      }
      return list;
    }
    return o;
  }

  static List<Object> key(List<FieldVector> keys, int row) {
    return keys.stream().map(k -> value(k, row)).toList();
  }

  /** The reference grouping: row numbers per key, groups in order of first appearance. */
  static Map<List<Object>, List<Integer>> groups(VectorSchemaRoot table, String... keys) {
    List<FieldVector> columns = Arrays.stream(keys).map(table::getVector).toList();
    Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
    for (int r = 0; r < table.getRowCount(); r++) {
      groups.computeIfAbsent(key(columns, r), k -> new ArrayList<>()).add(r);
    }
    return groups;
  }
}
