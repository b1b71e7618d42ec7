package io.arrownpz.spark;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringContains;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The filters of a query that name only partition keys, evaluated on a file's folder values before the
 * file is opened, so that a file none of whose rows can match is not read at all. A filter this class
 * cannot decide keeps the file; Spark applies every filter again to the rows read, so pruning only ever
 * drops files whose rows it would drop.
 */
final class PartitionFilters {
  private PartitionFilters() {}

  /** The filters among {@code filters} that name only the keys of {@code partitions}. */
  static List<Filter> onKeys(Filter[] filters, StructType partitions, boolean caseSensitive) {
    Set<String> keys = new java.util.HashSet<>();
    for (String key : partitions.fieldNames()) {
      keys.add(caseSensitive ? key : key.toLowerCase(Locale.ROOT));
    }
    List<Filter> found = new ArrayList<>();
    for (Filter filter : filters) {
      if (filter.references().length > 0 && Arrays.stream(filter.references())
          .allMatch(r -> keys.contains(caseSensitive ? r : r.toLowerCase(Locale.ROOT)))) {
        found.add(filter);
      }
    }
    return found;
  }

  /** The files whose folder values may satisfy every filter. */
  static List<SourceFiles.DataFile> prune(List<SourceFiles.DataFile> files, List<Filter> filters,
      StructType partitions, boolean caseSensitive) {
    if (filters.isEmpty()) {
      return files;
    }
    List<SourceFiles.DataFile> kept = new ArrayList<>();
    for (SourceFiles.DataFile file : files) {
      Function<String, Object> value = key -> valueOf(file, key, partitions, caseSensitive);
      if (filters.stream().allMatch(f -> holds(f, value) != Boolean.FALSE)) {
        kept.add(file);
      }
    }
    return kept;
  }

  /** A key's value in a file's folders, typed as the key's column is: null for a null value. */
  private static Object valueOf(SourceFiles.DataFile file, String key, StructType partitions, boolean caseSensitive) {
    String[] names = partitions.fieldNames();
    for (int k = 0; k < names.length; k++) {
      if (caseSensitive ? names[k].equals(key) : names[k].equalsIgnoreCase(key)) {
        String text = file.partitionValues().get(k);
        return text == null ? null : typed(text, partitions.fields()[k].dataType());
      }
    }
    throw new IllegalArgumentException("no partition key " + key);
  }

  private static Object typed(String text, DataType type) {
    if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType) || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.ByteType) || type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
      return new BigDecimal(text);
    }
    if (type.equals(DataTypes.DateType)) {
      return LocalDate.parse(text);
    }
    return text;
  }

  /** A filter's value as comparable with a key's: numbers as decimals, dates as dates, else itself. */
  private static Object comparable(Object value) {
    if (value instanceof Number number) {
      return number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    return value;
  }

  /** -1, 0 or 1; null when the two cannot be compared (then nothing is decided). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Integer compare(Object key, Object filterValue) {
    Object other = comparable(filterValue);
    if (key == null || other == null || key.getClass() != other.getClass() || !(key instanceof Comparable)) {
      return null;
    }
    return Integer.signum(((Comparable) key).compareTo(other));
  }

  /**
   * Whether {@code filter} holds for a file's keys: TRUE, FALSE, or null when unknown (SQL's null, or a
   * filter this class does not decide).
   */
  static Boolean holds(Filter filter, Function<String, Object> value) {
    if (filter instanceof And and) {
      Boolean a = holds(and.left(), value);
      Boolean b = holds(and.right(), value);
      return a == Boolean.FALSE || b == Boolean.FALSE ? Boolean.FALSE : a == null || b == null ? null : Boolean.TRUE;
    }
    if (filter instanceof Or or) {
      Boolean a = holds(or.left(), value);
      Boolean b = holds(or.right(), value);
      return a == Boolean.TRUE || b == Boolean.TRUE ? Boolean.TRUE : a == null || b == null ? null : Boolean.FALSE;
    }
    if (filter instanceof Not not) {
      Boolean a = holds(not.child(), value);
      return a == null ? null : !a;
    }
    if (filter instanceof IsNull isNull) {
      return value.apply(isNull.attribute()) == null;
    }
    if (filter instanceof IsNotNull isNotNull) {
      return value.apply(isNotNull.attribute()) != null;
    }
    if (filter instanceof EqualNullSafe equal) {
      Object key = value.apply(equal.attribute());
      if (key == null || equal.value() == null) {
        return key == null && equal.value() == null;
      }
      Integer c = compare(key, equal.value());
      return c == null ? null : c == 0;
    }
    if (filter instanceof EqualTo f) {
      Integer c = compare(value.apply(f.attribute()), f.value());
      return c == null ? nullOrUnknown(value.apply(f.attribute())) : c == 0;
    }
    if (filter instanceof GreaterThan f) {
      Integer c = compare(value.apply(f.attribute()), f.value());
      return c == null ? nullOrUnknown(value.apply(f.attribute())) : c > 0;
    }
    if (filter instanceof GreaterThanOrEqual f) {
      Integer c = compare(value.apply(f.attribute()), f.value());
      return c == null ? nullOrUnknown(value.apply(f.attribute())) : c >= 0;
    }
    if (filter instanceof LessThan f) {
      Integer c = compare(value.apply(f.attribute()), f.value());
      return c == null ? nullOrUnknown(value.apply(f.attribute())) : c < 0;
    }
    if (filter instanceof LessThanOrEqual f) {
      Integer c = compare(value.apply(f.attribute()), f.value());
      return c == null ? nullOrUnknown(value.apply(f.attribute())) : c <= 0;
    }
    if (filter instanceof In in) {
      Object key = value.apply(in.attribute());
      if (key == null) {
        return null;
      }
      boolean unknown = false;
      for (Object candidate : in.values()) {
        Integer c = compare(key, candidate);
        if (c == null) {
          unknown = true;
        } else if (c == 0) {
          return Boolean.TRUE;
        }
      }
      return unknown ? null : Boolean.FALSE;
    }
    if (filter instanceof StringStartsWith f && value.apply(f.attribute()) instanceof String s) {
      return s.startsWith(f.value());
    }
    if (filter instanceof StringEndsWith f && value.apply(f.attribute()) instanceof String s) {
      return s.endsWith(f.value());
    }
    if (filter instanceof StringContains f && value.apply(f.attribute()) instanceof String s) {
      return s.contains(f.value());
    }
    return null;
  }

  /** A comparison with a null key is SQL's null: the row is dropped, so the file may go (FALSE). */
  private static Boolean nullOrUnknown(Object key) {
    return key == null ? Boolean.FALSE : null;
  }
}
