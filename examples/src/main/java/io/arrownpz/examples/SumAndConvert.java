package io.arrownpz.examples;

import io.arrownpz.NumpyTables;
import io.arrownpz.bridge.ipc.FeatherFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Opens an NPZ as an Arrow table, sums one float column, and writes the table as Feather; everything it
 * opens it closes, and closing the allocator proves that no buffer was left behind.
 *
 * <pre>java ... io.arrownpz.examples.SumAndConvert prices.npz price prices.feather</pre>
 */
public final class SumAndConvert {
  private SumAndConvert() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: SumAndConvert IN.npz COLUMN OUT.feather");
      System.exit(2);
    }
    double sum = run(Path.of(args[0]), args[1], Path.of(args[2]));
    System.out.println(args[1] + " sums to " + sum);
  }

  /** The sum of {@code column}'s non-null values; {@code feather} holds the whole table afterwards. */
  public static double run(Path npz, String column, Path feather) throws IOException {
    // The allocator is closed last: it throws if any buffer of the table were still open.
    try (BufferAllocator allocator = new RootAllocator();
         VectorSchemaRoot table = NumpyTables.read(npz, allocator)) {
      FieldVector vector = table.getVector(column);
      if (!(vector instanceof FloatingPointVector values)) {
        throw new IllegalArgumentException(column + " is not a float column: " + table.getSchema());
      }
      double sum = 0;
      for (int i = 0; i < values.getValueCount(); i++) {
        if (!vector.isNull(i)) {
          sum += values.getValueAsDouble(i);
        }
      }
      FeatherFiles.write(table, feather);
      return sum;
    }
  }
}
