package io.arrownpz.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The nine frames of StaticFrame's NPZ article at about 1e6 values: tall 10,000 x 100, square
 * 1,000 x 1,000, wide 100 x 10,000; dtypes uniform (float64), mixed (int, int, bool, float, float) and
 * columnar (int, bool, float); an int64 index and string column labels.
 */
final class Panel {
  private Panel() {}

  static int[] shape(String name) {
    return switch (name) {
      case "tall" -> new int[] {10_000, 100};
      case "square" -> new int[] {1_000, 1_000};
      case "wide" -> new int[] {100, 10_000};
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** The table: field "index" first, then columns "z00000", "z00001", ... */
  static VectorSchemaRoot table(String shapeName, String mix, BufferAllocator allocator) {
    int[] shape = shape(shapeName);
    int rows = shape[0];
    String[] cycle = switch (mix) {
      case "uniform" -> new String[] {"f"};
      case "mixed" -> new String[] {"i", "i", "b", "f", "f"};
      case "columnar" -> new String[] {"i", "b", "f"};
      default -> throw new IllegalArgumentException(mix);
    };
    SplittableRandom random = new SplittableRandom(42);
    List<FieldVector> vectors = new ArrayList<>();
    BigIntVector index = new BigIntVector("index", allocator);
    index.allocateNew(rows);
    for (int r = 0; r < rows; r++) {
      index.set(r, random.nextLong());
    }
    index.setValueCount(rows);
    vectors.add(index);
    for (int c = 0; c < shape[1]; c++) {
      String name = String.format("z%05d", c);
      FieldVector v = switch (cycle[c % cycle.length]) {
        case "i" -> {
          BigIntVector x = new BigIntVector(name, allocator);
          x.allocateNew(rows);
          for (int r = 0; r < rows; r++) {
            x.set(r, random.nextLong());
          }
          yield x;
        }
        case "b" -> {
          BitVector x = new BitVector(name, allocator);
          x.allocateNew(rows);
          for (int r = 0; r < rows; r++) {
            x.set(r, random.nextBoolean() ? 1 : 0);
          }
          yield x;
        }
        default -> {
          Float8Vector x = new Float8Vector(name, allocator);
          x.allocateNew(rows);
          for (int r = 0; r < rows; r++) {
            x.set(r, random.nextDouble());
          }
          yield x;
        }
      };
      v.setValueCount(rows);
      vectors.add(v);
    }
    return new VectorSchemaRoot(vectors);
  }
}
