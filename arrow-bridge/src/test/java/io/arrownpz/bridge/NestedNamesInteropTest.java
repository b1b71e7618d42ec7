package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table read whole keeps the names and metadata of nested fields as the file states them (a list's
 * element, a map's entries, a struct's children), and its values, whether the file holds one batch or
 * several, large lists (inside structs too) included: pyarrow reads what we write back from it with the
 * schema it wrote, metadata included, and the same values.
 */
class NestedNamesInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final String WRITE = """
      import sys, pyarrow as pa, pyarrow.feather as feather, pyarrow.parquet as pq
      elem = pa.field('elem', pa.int64(), metadata={'unit': 'ms'})
      schema = pa.schema([
          pa.field('l', pa.list_(elem)),
          pa.field('ll', pa.large_list(pa.field('x', pa.string()))),
          pa.field('fl', pa.list_(pa.field('fx', pa.float32()), 2)),
          pa.field('m', pa.map_(pa.string(), pa.field('v', pa.int32(), metadata={'k': '1'}))),
          pa.field('s', pa.struct([pa.field('inner', pa.list_(pa.field('deep', pa.int8())))])),
          pa.field('sl', pa.struct([pa.field('big', pa.large_list(pa.field('y', pa.int16())))])),
      ], metadata={'whole': 'kept'})
      n = 10
      table = pa.table({
          'l': [[i, i + 1] if i % 3 else None for i in range(n)],
          'll': [['a' * (i % 4)] for i in range(n)],
          'fl': [[i / 2, -i] for i in range(n)],
          'm': [[('k%d' % i, i)] if i % 2 else [] for i in range(n)],
          's': [{'inner': [i % 5] * (i % 3)} for i in range(n)],
          'sl': [{'big': [i] * (i % 3)} if i % 4 else None for i in range(n)],
      }, schema=schema)
      feather.write_feather(table, sys.argv[1] + '/one.feather', compression='uncompressed')
      feather.write_feather(table, sys.argv[1] + '/three.feather', compression='uncompressed', chunksize=4)
      pq.write_table(table, sys.argv[1] + '/groups.parquet', row_group_size=4)
      """;

  private static final String CHECK = """
      import sys, pyarrow.feather as feather, pyarrow.parquet as pq
      d = sys.argv[1]
      original = feather.read_table(d + '/one.feather')
      for name in ('one_back.feather', 'three_back.feather'):
          back = feather.read_table(d + '/' + name)
          assert back.schema.equals(original.schema, check_metadata=True), (name, back.schema, original.schema)
          assert back.equals(original), name
      # Parquet names a list's element 'element', as pyarrow reads it too.
      theirs = pq.read_table(d + '/groups.parquet')
      back = feather.read_table(d + '/groups_back.feather')
      assert back.schema.equals(theirs.schema), (back.schema, theirs.schema)
      assert back.equals(theirs)
      print('ok')
      """;

  @Test
  void aTableReadWholeKeepsItsNestedFieldsNames() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(WRITE, tmp.toString());
    for (String name : new String[] {"one", "three"}) {
      try (VectorSchemaRoot table = FeatherFiles.read(tmp.resolve(name + ".feather"), memory.allocator())) {
        assertEquals("elem", table.getSchema().findField("l").getChildren().get(0).getName(), name);
        FeatherFiles.write(table, tmp.resolve(name + "_back.feather"));
      }
    }
    // Parquet of several row groups, read whole: the names pyarrow reads come through.
    try (VectorSchemaRoot table = ParquetFiles.read(tmp.resolve("groups.parquet"), memory.allocator())) {
      assertEquals("element", table.getSchema().findField("l").getChildren().get(0).getName());
      FeatherFiles.write(table, tmp.resolve("groups_back.feather"));
    }
    assertEquals("ok", PythonPeer.run(CHECK, tmp.toString()).strip());
  }
}
