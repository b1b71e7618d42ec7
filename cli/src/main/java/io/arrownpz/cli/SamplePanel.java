package io.arrownpz.cli;

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
 * Generated frames shaped like the panel of StaticFrame's NPZ article, for the demo and the benchmarks:
 * three shapes (tall 100:1, square, wide 1:100) times three dtype mixes (uniform float64; mixed int,
 * int, bool, float, float; columnar int, bool, float), each about {@code elements} values, with an int64
 * field "index" first (the frame's index) and columns "z00000", "z00001", ...
 */
public final class SamplePanel {
  public static final List<String> SHAPES = List.of("tall", "square", "wide");
  public static final List<String> MIXES = List.of("uniform", "mixed", "columnar");
  public static final String INDEX = "index";

  private SamplePanel() {}

  /** Rows and columns of a shape at {@code elements} values. */
  public static int[] shape(String name, double elements) {
    int side = (int) Math.max(1, Math.round(Math.sqrt(elements)));
    int narrow = (int) Math.max(1, Math.round(Math.sqrt(elements / 100)));
    int long_ = (int) Math.max(1, Math.round(elements / narrow));
    return switch (name) {
      case "tall" -> new int[] {long_, narrow};
      case "square" -> new int[] {side, side};
      case "wide" -> new int[] {narrow, long_};
      default -> throw new IllegalArgumentException("no panel shape '" + name + "'; shapes are " + SHAPES);
    };
  }

  public static VectorSchemaRoot frame(String shapeName, String mix, double elements, BufferAllocator allocator) {
    int[] shape = shape(shapeName, elements);
    int rows = shape[0];
    String[] cycle = switch (mix) {
      case "uniform" -> new String[] {"f"};
      case "mixed" -> new String[] {"i", "i", "b", "f", "f"};
      case "columnar" -> new String[] {"i", "b", "f"};
      default -> throw new IllegalArgumentException("no panel mix '" + mix + "'; mixes are " + MIXES);
    };
    SplittableRandom random = new SplittableRandom(42);
    List<FieldVector> vectors = new ArrayList<>(shape[1] + 1);
    try {
      vectors.add(longs(INDEX, rows, random, allocator));
      for (int c = 0; c < shape[1]; c++) {
        String name = String.format("z%05d", c);
        vectors.add(switch (cycle[c % cycle.length]) {
          case "i" -> longs(name, rows, random, allocator);
          case "b" -> bools(name, rows, random, allocator);
          default -> doubles(name, rows, random, allocator);
        });
      }
      return new VectorSchemaRoot(vectors);
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  private static BigIntVector longs(String name, int rows, SplittableRandom random, BufferAllocator allocator) {
    BigIntVector v = new BigIntVector(name, allocator);
    v.allocateNew(rows);
    for (int r = 0; r < rows; r++) {
      v.set(r, random.nextLong());
    }
    v.setValueCount(rows);
    return v;
  }

  private static BitVector bools(String name, int rows, SplittableRandom random, BufferAllocator allocator) {
    BitVector v = new BitVector(name, allocator);
    v.allocateNew(rows);
    for (int r = 0; r < rows; r++) {
      v.set(r, random.nextBoolean() ? 1 : 0);
    }
    v.setValueCount(rows);
    return v;
  }

  private static Float8Vector doubles(String name, int rows, SplittableRandom random, BufferAllocator allocator) {
    Float8Vector v = new Float8Vector(name, allocator);
    v.allocateNew(rows);
    for (int r = 0; r < rows; r++) {
      v.set(r, random.nextDouble());
    }
    v.setValueCount(rows);
    return v;
  }
}
