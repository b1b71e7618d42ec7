package io.arrownpz.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Event tables for the packing benchmarks: GroupID, EventID, EventName, Timestamp, UserID, Value, with
 * 1 to 11 events per group (6 on average), either grouped with timestamps rising inside each group
 * (sorted) or in a random order (shuffled).
 */
final class Events {
  private static final byte[][] NAMES = names();

  private Events() {}

  private static byte[][] names() {
    String[] names = {"Login", "View Dashboard", "Download Report", "Password Reset", "Add to Cart", "Checkout",
        "Payment Success", "Logout"};
    byte[][] bytes = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      bytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }

  static VectorSchemaRoot generate(BufferAllocator allocator, int rows, boolean shuffled, long seed) {
    Random random = new Random(seed);
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    if (shuffled) {
      for (int i = rows - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    BigIntVector group = new BigIntVector("GroupID", allocator);
    BigIntVector event = new BigIntVector("EventID", allocator);
    VarCharVector name = new VarCharVector("EventName", allocator);
    TimeStampMicroVector time = new TimeStampMicroVector("Timestamp", allocator);
    IntVector user = new IntVector("UserID", allocator);
    Float8Vector value = new Float8Vector("Value", allocator);
    group.allocateNew(rows);
    event.allocateNew(rows);
    name.allocateNew(rows * 10L, rows);
    time.allocateNew(rows);
    user.allocateNew(rows);
    value.allocateNew(rows);
    // Events are made in session order, then written at their shuffled positions: row p holds event
    // order[p]. Strings are written in row order (Arrow's var-width setters fill gaps before an index).
    long[] groups = new long[rows];
    long[] times = new long[rows];
    int[] names = new int[rows];
    long groupId = 0;
    int left = 0;
    long clock = 1_700_000_000_000_000L;
    for (int i = 0; i < rows; i++) {
      if (left == 0) {
        groupId++;
        left = 1 + random.nextInt(11);
        clock += random.nextInt(1_000_000_000);
      }
      left--;
      clock += 1 + random.nextInt(60_000_000);
      groups[i] = groupId;
      times[i] = clock;
      names[i] = random.nextInt(NAMES.length);
    }
    for (int p = 0; p < rows; p++) {
      int i = order[p];
      group.set(p, groups[i] * 2_654_435_761L);
      event.set(p, i);
      name.setSafe(p, NAMES[names[i]]);
      time.set(p, times[i]);
      user.set(p, (int) (groups[i] % 100_000));
      value.set(p, random.nextGaussian());
    }
    FieldVector[] columns = {group, event, name, time, user, value};
    for (FieldVector v : columns) {
      v.setValueCount(rows);
    }
    return VectorSchemaRoot.of(columns);
  }
}
