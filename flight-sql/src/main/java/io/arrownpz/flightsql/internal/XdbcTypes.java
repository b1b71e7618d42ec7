package io.arrownpz.flightsql.internal;

import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.List;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;

/**
 * DuckDB's types as a JDBC tool asks for them (Flight SQL's GetXdbcTypeInfo, JDBC's {@code getTypeInfo}): a
 * row per type a query's column can have, with the {@link java.sql.Types} code the Flight SQL JDBC driver
 * reports for it.
 */
final class XdbcTypes {
  private XdbcTypes() {}

  /**
   * One type: DuckDB's name, its JDBC code, its precision or length (null: none), the quote its literals
   * take, whether it is unsigned, and what its declaration takes.
   */
  private record Type(String name, int code, Integer size, String quote, boolean unsigned, List<String> params) {
    Type(String name, int code, Integer size) {
      this(name, code, size, null, false, List.of());
    }
  }

  private static final List<Type> TYPES = List.of(
      new Type("BOOLEAN", Types.BOOLEAN, 1),
      new Type("TINYINT", Types.TINYINT, 3),
      new Type("SMALLINT", Types.SMALLINT, 5),
      new Type("INTEGER", Types.INTEGER, 10),
      new Type("BIGINT", Types.BIGINT, 19),
      new Type("HUGEINT", Types.NUMERIC, 39),
      new Type("UTINYINT", Types.TINYINT, 3, null, true, List.of()),
      new Type("USMALLINT", Types.SMALLINT, 5, null, true, List.of()),
      new Type("UINTEGER", Types.INTEGER, 10, null, true, List.of()),
      new Type("UBIGINT", Types.BIGINT, 20, null, true, List.of()),
      new Type("FLOAT", Types.REAL, 24),
      new Type("DOUBLE", Types.DOUBLE, 53),
      new Type("DECIMAL", Types.DECIMAL, 38, null, false, List.of("precision", "scale")),
      new Type("VARCHAR", Types.VARCHAR, null, "'", false, List.of()),
      new Type("BLOB", Types.VARBINARY, null, "'", false, List.of()),
      new Type("DATE", Types.DATE, 10, "'", false, List.of()),
      new Type("TIME", Types.TIME, 15, "'", false, List.of()),
      new Type("TIMESTAMP", Types.TIMESTAMP, 26, "'", false, List.of()),
      new Type("TIMESTAMP WITH TIME ZONE", Types.TIMESTAMP_WITH_TIMEZONE, 32, "'", false, List.of()),
      new Type("INTERVAL", Types.OTHER, null, "'", false, List.of()),
      new Type("UUID", Types.OTHER, 36, "'", false, List.of()),
      new Type("LIST", Types.ARRAY, null),
      new Type("STRUCT", Types.STRUCT, null),
      new Type("MAP", Types.OTHER, null));

  /** Sends the types, those of JDBC code {@code code} only when it is not null. */
  static void send(Integer code, BufferAllocator allocator, ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(FlightSqlProducer.Schemas.GET_TYPE_INFO_SCHEMA, allocator)) {
      int row = 0;
      for (Type type : TYPES) {
        if (code != null && code != type.code()) {
          continue;
        }
        text(root, "type_name", row, type.name());
        integer(root, "data_type", row, type.code());
        integer(root, "column_size", row, type.size());
        text(root, "literal_prefix", row, type.quote());
        text(root, "literal_suffix", row, type.quote());
        ListVector params = (ListVector) root.getVector("create_params");
        UnionListWriter writer = params.getWriter();
        writer.setPosition(row);
        writer.startList();
        for (String param : type.params()) {
          byte[] bytes = param.getBytes(StandardCharsets.UTF_8);
          try (ArrowBuf buffer = allocator.buffer(bytes.length)) {
            buffer.setBytes(0, bytes);
            writer.varChar().writeVarChar(0, bytes.length, buffer);
          }
        }
        writer.endList();
        integer(root, "nullable", row, DatabaseMetaData.typeNullable);
        bool(root, "case_sensitive", row, type.code() == Types.VARCHAR);
        integer(root, "searchable", row, DatabaseMetaData.typeSearchable);
        bool(root, "unsigned_attribute", row, type.unsigned());
        bool(root, "fixed_prec_scale", row, type.code() == Types.DECIMAL);
        bool(root, "auto_increment", row, false);
        text(root, "local_type_name", row, type.name());
        integer(root, "minimum_scale", row, type.code() == Types.DECIMAL ? 0 : null);
        integer(root, "maximum_scale", row, type.code() == Types.DECIMAL ? 38 : null);
        integer(root, "sql_data_type", row, type.code());
        integer(root, "datetime_subcode", row, null);
        integer(root, "num_prec_radix", row, type.size() != null && type.quote() == null ? 10 : null);
        integer(root, "interval_precision", row, null);
        row++;
      }
      root.setRowCount(row);
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  private static void text(VectorSchemaRoot root, String column, int row, String value) {
    VarCharVector vector = (VarCharVector) root.getVector(column);
    if (value == null) {
      vector.setNull(row);
    } else {
      vector.setSafe(row, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void integer(VectorSchemaRoot root, String column, int row, Integer value) {
    IntVector vector = (IntVector) root.getVector(column);
    if (value == null) {
      vector.setNull(row);
    } else {
      vector.setSafe(row, value);
    }
  }

  private static void bool(VectorSchemaRoot root, String column, int row, boolean value) {
    ((BitVector) root.getVector(column)).setSafe(row, value ? 1 : 0);
  }
}
