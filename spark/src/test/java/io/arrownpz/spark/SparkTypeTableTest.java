package io.arrownpz.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Spark type per NumPy dtype, whichever file holds the column: a {@code .npy}, a plain NPZ, a StaticFrame
 * frame (NPZ and NPY directory), and a packed NPZ's list column (its elements), with and without {@code
 * nearestType}, the values equal too. The table is docs/SPARK.md's, a row per dtype.
 */
class SparkTypeTableTest {
  @TempDir static Path dir;
  private static SparkSession spark;
  static final List<String> DTYPES = List.of("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
      "uint64", "float16", "float32", "float64", "<U3", "|S3", "datetime64[D]", "datetime64[s]", "datetime64[ms]",
      "datetime64[us]", "datetime64[ns]", "datetime64[W]", "datetime64[h]", "datetime64[m]", "datetime64[M]",
      "datetime64[2D]", "timedelta64[us]", "timedelta64[h]", ">i8", ">f8");

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy", "static_frame");
    PythonPeer.run("""
        import sys, os, numpy as np, static_frame as sf
        d = sys.argv[1]
        for i, dt in enumerate(sys.argv[2:]):
            a = np.arange(1, 4).astype('int64').astype(dt) if not dt.startswith(('<U', '|S')) else np.array(['a', 'bb', 'ccc'], dtype=dt)
            if dt == 'bool':
                a = np.array([True, False, True])
            os.makedirs(f'{d}/{i}')
            np.save(f'{d}/{i}/c.npy', a)
            np.savez(f'{d}/{i}/plain.npz', c=a)
            f = sf.Frame.from_fields([a], columns=['c'])
            f.to_npz(f'{d}/{i}/frame.npz')
            f.to_npy(f'{d}/{i}/frame.npy.d')
        """, prepend(dir.toString(), DTYPES));
    for (int i = 0; i < DTYPES.size(); i++) {
      writePacked(dir.resolve(i + "/plain.npz"), dir.resolve(i + "/packed.npz"));
    }
    spark = SparkSession.builder().master("local[1]").appName("arrow-npz type table")
        .config("spark.ui.enabled", "false").getOrCreate();
  }

  /** The plain archive's column as a packed NPZ's list column of one element per row (offsets 0, 1, 2, 3). */
  private static void writePacked(Path plain, Path packed) throws Exception {
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
        org.apache.arrow.vector.VectorSchemaRoot table = io.arrownpz.NumpyTables.read(plain, allocator);
        org.apache.arrow.vector.complex.ListVector list =
            org.apache.arrow.vector.complex.ListVector.empty("c", allocator)) {
      org.apache.arrow.vector.FieldVector column = table.getVector("c");
      int n = column.getValueCount();
      list.addOrGetVector(column.getField().getFieldType());
      list.allocateNew();
      for (int r = 0; r < n; r++) {
        list.startNewValue(r);
        list.endValue(r, 1);
      }
      list.setValueCount(n);
      column.makeTransferPair(list.getDataVector()).transfer();
      list.getDataVector().setValueCount(n);
      try (org.apache.arrow.vector.VectorSchemaRoot lists = org.apache.arrow.vector.VectorSchemaRoot.of(list)) {
        io.arrownpz.NumpyTables.write(lists, packed, io.arrownpz.WriteOptions.DEFAULTS
            .withLayout(io.arrownpz.npz.NpzLayout.PACKED));
      } catch (io.arrownpz.UnsupportedDataException e) {
        // a dtype the packed layout cannot hold: its row says "refused" for packed files
      }
    }
  }

  /** A packed file's list of one element per row, as the element's type and values. */
  private static String elements(String type) {
    if (!type.startsWith("array<")) {
      return type;
    }
    int space = type.indexOf(' ');
    String element = type.substring("array<".length(), space - 1);
    return element + " " + type.substring(space + 1).replace("[[", "[").replace("], [", ", ").replace("]]", "]");
  }

  private static String[] prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all.toArray(String[]::new);
  }

  /** docs/SPARK.md's table, one row per dtype. */
  static final String README_TABLE = """
      | NumPy dtype | Spark type | with nearestType |
      | --- | --- | --- |
      | `bool` | boolean | boolean |
      | `int8` | tinyint | tinyint |
      | `int16` | smallint | smallint |
      | `int32` | int | int |
      | `int64` | bigint | bigint |
      | `uint8` | refused | smallint |
      | `uint16` | refused | int |
      | `uint32` | refused | bigint |
      | `uint64` | refused | decimal(20,0) |
      | `float16` | refused | float |
      | `float32` | float | float |
      | `float64` | double | double |
      | `<U3` | string | string |
      | `|S3` | binary | binary |
      | `datetime64[D]` | date | date |
      | `datetime64[s]` | refused | timestamp_ntz |
      | `datetime64[ms]` | refused | timestamp_ntz |
      | `datetime64[us]` | timestamp_ntz | timestamp_ntz |
      | `datetime64[ns]` | refused | timestamp_ntz |
      | `datetime64[W]` | refused | timestamp_ntz |
      | `datetime64[h]` | refused | timestamp_ntz |
      | `datetime64[m]` | refused | timestamp_ntz |
      | `datetime64[M]` | refused | refused |
      | `datetime64[2D]` | refused | refused |
      | `timedelta64[us]` | refused | refused |
      | `timedelta64[h]` | refused | refused |
      | `>i8` | bigint | bigint |
      | `>f8` | double | double |
      """;

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The column's Spark type and its values as Spark prints them, or "refused". */
  private static String typeOf(Path file, boolean nearest) {
    try {
      var frame = spark.read().format("npz").option("nearestType", nearest).load(file.toString());
      var schema = frame.schema();
      String column = schema.fieldNames()[schema.fieldNames().length - 1];
      List<String> values = frame.selectExpr("cast(`" + column + "` as string)").collectAsList().stream()
          .map(r -> r.getString(0)).toList();
      return schema.apply(column).dataType().simpleString() + " " + values;
    } catch (Exception e) {
      return "refused" + (System.getenv("WHY") != null ? ": " + e.getMessage() : "");
    }
  }

  @Test
  void aDtypeHasOneSparkTypeInEveryFile() {
    List<String> differ = new ArrayList<>();
    StringBuilder table = new StringBuilder("| NumPy dtype | Spark type | with nearestType |\n| --- | --- | --- |\n");
    for (int i = 0; i < DTYPES.size(); i++) {
      String[] row = new String[2];
      for (boolean nearest : new boolean[] {false, true}) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String file : List.of("c.npy", "plain.npz", "frame.npz", "frame.npy.d")) {
          types.put(file, typeOf(dir.resolve(i + "/" + file), nearest));
        }
        types.put("packed.npz", elements(typeOf(dir.resolve(i + "/packed.npz"), nearest)));
        if (types.values().stream().distinct().count() != 1) {
          differ.add(DTYPES.get(i) + (nearest ? " nearestType" : "") + ": " + types);
        }
        String type = types.get("c.npy");
        row[nearest ? 1 : 0] = type.contains(" ") ? type.substring(0, type.indexOf(' ')) : type;
      }
      table.append("| `").append(DTYPES.get(i)).append("` | ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
    }
    System.out.println(table);
    assertEquals(List.of(), differ);
    assertEquals(README_TABLE, table.toString(), "docs/SPARK.md's table of dtypes to Spark types");
  }
}
