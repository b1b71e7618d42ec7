package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet UUID and JSON columns, which Arrow C++ 18.3 reads as plain fixed_size_binary(16) and string, keep
 * their types: DuckDB and pyarrow write them at the top level, in structs, lists, maps and lists of
 * structs, in several row groups; converted to Parquet, DuckDB reads UUID and JSON back where it wrote
 * them (not BLOB and VARCHAR), and to Feather and IPC streams pyarrow reads {@code arrow.uuid} and
 * {@code arrow.json} with the same values.
 */
class ParquetExtensionTypesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void uuidAndJsonColumnsAtEveryDepthKeepTheirTypesThroughEveryArrowFormat() throws IOException {
    PythonPeer.require("pyarrow", "duckdb");
    Path duck = tmp.resolve("duckdb.parquet");
    Path arrow = tmp.resolve("pyarrow.parquet");
    PythonPeer.run("""
        import sys, uuid, duckdb, pyarrow as pa, pyarrow.parquet as pq
        duckdb.sql(f'''COPY (SELECT gen_random_uuid() AS u, {{'a': gen_random_uuid(), 'b': range}} AS st,
                               [gen_random_uuid(), NULL] AS l, MAP {{'k': gen_random_uuid()}} AS m,
                               [{{'z': gen_random_uuid()}}] AS ls,
                               ('{{"k": ' || range || '}}')::JSON AS j, [('[' || range || ']')::JSON] AS lj, CASE WHEN range % 3 = 0 THEN NULL ELSE gen_random_uuid() END AS maybe,
                               range AS r FROM range(3000))
                       TO '{sys.argv[1]}' (FORMAT parquet, ROW_GROUP_SIZE 1024)''')
        ids = [uuid.UUID(int=k * 7919 + 1).bytes for k in range(500)]
        uuids = pa.array(ids, pa.uuid())
        lists = pa.ListArray.from_arrays(pa.array(range(0, 501), pa.int32()), uuids)
        docs = pa.array([None if k % 7 == 0 else '{"n": %d}' % k for k in range(500)], pa.json_())
        pq.write_table(pa.table({'id': uuids, 'n': list(range(500)), 'ids': lists, 'doc': docs}), sys.argv[2],
                       row_group_size=200)
        """, duck.toString(), arrow.toString());
    Converter converter = new Converter(memory.allocator());
    for (Path input : new Path[] {duck, arrow}) {
      String name = input.getFileName().toString();
      for (String target : new String[] {"parquet", "feather", "arrows"}) {
        converter.convert(input, FileFormat.PARQUET, tmp.resolve(name + "." + target), FileFormat.named(target),
            ConvertOptions.DEFAULTS);
      }
    }
    String out = PythonPeer.run("""
        import sys, duckdb, pyarrow as pa, pyarrow.parquet as pq, pyarrow.feather as feather
        checked = 0
        for source in sys.argv[1:]:
            want = pq.read_table(source)
            assert any(isinstance(f.type, pa.UuidType) for f in want.schema), want.schema
            assert any(isinstance(f.type, pa.JsonType) for f in want.schema), want.schema
            for got in (pq.read_table(source + '.parquet'), feather.read_table(source + '.feather'),
                        pa.ipc.open_stream(source + '.arrows').read_all()):
                assert got.schema.remove_metadata() == want.schema.remove_metadata(), (got.schema, want.schema)
                assert got.equals(want.cast(got.schema)), source
                checked += 1
            types = lambda p: duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{p}')").fetchall()
            assert [t[:2] for t in types(source + '.parquet')] == [t[:2] for t in types(source)], \\
                (types(source + '.parquet'), types(source))
            same = duckdb.sql(f"SELECT count(*) FROM (SELECT * FROM read_parquet('{source}') EXCEPT ALL "
                              f"SELECT * FROM read_parquet('{source}.parquet'))").fetchone()[0]
            assert same == 0, same
        print(checked)
        """, duck.toString(), arrow.toString());
    assertEquals("6", out.strip());
  }
}
