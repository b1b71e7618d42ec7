package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.parquet.CompactThrift.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Parquet UUID and JSON columns as Arrow's canonical {@code arrow.uuid} and {@code arrow.json} extension
 * types. Arrow C++ 18.3 reads those logical types (DuckDB writes both; pyarrow writes them for the
 * extension types) as plain {@code fixed_size_binary(16)} and {@code string}, so a Parquet-to-Parquet
 * conversion gave DuckDB BLOB and VARCHAR columns where it had UUID and JSON. The footer still says which:
 * such columns get the extension's field metadata, which IPC readers (pyarrow 25 included) take as the
 * extension type, and which Arrow C++ 18.3's Parquet writer maps back to the logical type.
 *
 * <p>Columns are matched by their name paths, at any depth: an Arrow struct's or map's children are the
 * Parquet group's by name, and a list's element is the Parquet list's element, past the repeated group
 * between them (three-level lists; a two-level list's repeated field is the element itself).
 */
final class ParquetExtensionTypes {
  static final String UUID = "arrow.uuid";
  static final String JSON = "arrow.json";

  /** SchemaElement's type, type_length, name and num_children (its converted and logical types: {@link ParquetFooter}). */
  private static final int TYPE = 1;
  private static final int TYPE_LENGTH = 2;
  private static final int NAME = 4;
  private static final int NUM_CHILDREN = 5;
  /** LIST, as a converted type and as the LogicalType union's member; MAP (and the legacy MAP_KEY_VALUE). */
  private static final int LIST = 3;
  private static final int MAP_CONVERTED = 1;
  private static final int MAP_KEY_VALUE = 2;
  private static final int MAP_LOGICAL = 2;
  /** Parquet's BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY, and the JSON and UUID members of the LogicalType union. */
  private static final int BYTE_ARRAY = 6;
  private static final int FIXED_LEN_BYTE_ARRAY = 7;
  private static final int LOGICAL_JSON = 12;
  private static final int LOGICAL_UUID = 14;

  /** Deeper schemas are not searched (the walk recurses; real ones nest a few levels). */
  private static final int MAX_DEPTH = 200;

  private ParquetExtensionTypes() {}

  /**
   * The footer's UUID and JSON columns: their name paths (column, then members, see above), each with its
   * extension type's name; empty when it has none.
   */
  static Map<List<String>, String> columns(byte[] footer) {
    if (!mayHold(footer, LOGICAL_UUID) && !mayHold(footer, LOGICAL_JSON)) {
      return Map.of();
    }
    Field schema = CompactThrift.find(CompactThrift.readStruct(footer), ParquetFooter.SCHEMA);
    if (schema == null || schema.type() != CompactThrift.TYPE_LIST) {
      return Map.of();
    }
    List<List<Field>> elements = CompactThrift.readStructList(schema.value());
    Map<List<String>, String> extensions = new HashMap<>();
    if (!elements.isEmpty()) {
      // The first element is the root; its children, depth first, are the columns.
      walk(elements, 1, children(elements.get(0)), new ArrayList<>(), extensions);
    }
    return extensions;
  }

  /**
   * Whether the footer has the bytes a logical type of no parameters is written as: the union's member,
   * an empty struct, then the union's end (UUID: {@code EC 00 00}, or {@code 0C 1C 00 00} with the id
   * written out). Most footers have none, and a scan is far cheaper than walking the schema (10,000
   * columns: 2-4 ms against 10-16).
   */
  private static boolean mayHold(byte[] footer, int member) {
    byte shortForm = (byte) (member << 4 | CompactThrift.TYPE_STRUCT);
    byte zigzag = (byte) (member << 1);
    for (int i = 0; i + 2 < footer.length; i++) {
      if (footer[i + 1] == 0 && footer[i + 2] == 0
          && (footer[i] == shortForm || footer[i] == zigzag && i > 0 && footer[i - 1] == CompactThrift.TYPE_STRUCT)) {
        return true;
      }
    }
    return false;
  }

  /** Walks {@code count} sibling subtrees from {@code at}; returns the index after the last. */
  private static int walk(List<List<Field>> elements, int at, long count, List<String> parent,
      Map<List<String>, String> extensions) {
    if (parent.size() > MAX_DEPTH) {
      throw new IllegalArgumentException("the Parquet schema nests deeper than " + MAX_DEPTH + " levels");
    }
    for (long c = 0; c < count && at < elements.size(); c++) {
      List<Field> element = elements.get(at++);
      List<String> path = new ArrayList<>(parent);
      path.add(name(element));
      long children = children(element);
      if (children == 1 && isList(element) && at < elements.size() && children(elements.get(at)) == 1) {
        at = walk(elements, at + 1, 1, path, extensions); // a three-level list: past its repeated group
      } else if (children == 1 && isMap(element) && at < elements.size() && children(elements.get(at)) == 2) {
        at = walk(elements, at + 1, 2, path, extensions); // a map's key and value: past its repeated group
      } else if (children > 0) {
        at = walk(elements, at, children, path, extensions);
      } else if (isLeaf(element, FIXED_LEN_BYTE_ARRAY, 16, LOGICAL_UUID)) {
        extensions.put(List.copyOf(path), UUID);
      } else if (isLeaf(element, BYTE_ARRAY, -1, LOGICAL_JSON)) {
        extensions.put(List.copyOf(path), JSON);
      }
    }
    return at;
  }

  /** Whether a leaf has the physical type (and length, unless -1) and the LogicalType union's member. */
  private static boolean isLeaf(List<Field> element, int physicalType, int length, int logicalMember) {
    Field type = CompactThrift.find(element, TYPE);
    Field typeLength = CompactThrift.find(element, TYPE_LENGTH);
    Field logical = CompactThrift.find(element, ParquetFooter.LOGICAL_TYPE);
    return type != null && type.integer() == physicalType
        && (length < 0 || typeLength != null && typeLength.integer() == length)
        && logical != null && logical.type() == CompactThrift.TYPE_STRUCT
        && CompactThrift.find(CompactThrift.readStruct(logical.value()), logicalMember) != null;
  }

  private static boolean isList(List<Field> element) {
    return annotated(element, LIST, LIST);
  }

  private static boolean isMap(List<Field> element) {
    return annotated(element, MAP_CONVERTED, MAP_LOGICAL) || annotated(element, MAP_KEY_VALUE, MAP_LOGICAL);
  }

  /** Whether the element has the converted type, or the member of the LogicalType union. */
  private static boolean annotated(List<Field> element, int convertedType, int logicalMember) {
    Field converted = CompactThrift.find(element, ParquetFooter.CONVERTED_TYPE);
    Field logical = CompactThrift.find(element, ParquetFooter.LOGICAL_TYPE);
    return converted != null && converted.integer() == convertedType || logical != null
        && logical.type() == CompactThrift.TYPE_STRUCT
        && CompactThrift.find(CompactThrift.readStruct(logical.value()), logicalMember) != null;
  }

  private static long children(List<Field> element) {
    Field f = CompactThrift.find(element, NUM_CHILDREN);
    return f == null ? 0 : f.integer();
  }

  private static String name(List<Field> element) {
    Field f = CompactThrift.find(element, NAME);
    return f == null ? "" : f.text();
  }

  /** The fields, with those at the given paths (and of the extension's storage type) marked as its extension type. */
  static List<org.apache.arrow.vector.types.pojo.Field> mark(List<org.apache.arrow.vector.types.pojo.Field> fields,
      Map<List<String>, String> extensions) {
    if (extensions.isEmpty()) {
      return fields;
    }
    return fields.stream().map(f -> mark(f, List.of(), extensions)).toList();
  }

  private static org.apache.arrow.vector.types.pojo.Field mark(org.apache.arrow.vector.types.pojo.Field field,
      List<String> parent, Map<List<String>, String> extensions) {
    List<String> path = new ArrayList<>(parent);
    path.add(field.getName());
    if (field.getType() instanceof ArrowType.Map) {
      // The entries struct is the Parquet map's repeated group: its name is not on the path.
      org.apache.arrow.vector.types.pojo.Field entries = field.getChildren().get(0);
      org.apache.arrow.vector.types.pojo.Field marked = new org.apache.arrow.vector.types.pojo.Field(entries.getName(),
          entries.getFieldType(), entries.getChildren().stream().map(c -> mark(c, path, extensions)).toList());
      return new org.apache.arrow.vector.types.pojo.Field(field.getName(), field.getFieldType(), List.of(marked));
    }
    if (field.getType() instanceof ArrowType.Struct || field.getType() instanceof ArrowType.List
        || field.getType() instanceof ArrowType.LargeList) {
      return new org.apache.arrow.vector.types.pojo.Field(field.getName(), field.getFieldType(),
          field.getChildren().stream().map(c -> mark(c, path, extensions)).toList());
    }
    String extension = extensions.get(path);
    if (extension == null || !isStorage(extension, field.getType())) {
      return field;
    }
    Map<String, String> metadata = new HashMap<>(field.getMetadata());
    metadata.put(ArrowType.ExtensionType.EXTENSION_METADATA_KEY_NAME, extension);
    metadata.put(ArrowType.ExtensionType.EXTENSION_METADATA_KEY_METADATA, "");
    return new org.apache.arrow.vector.types.pojo.Field(field.getName(),
        new FieldType(field.isNullable(), field.getType(), field.getDictionary(), metadata), field.getChildren());
  }

  /** Whether the Arrow type is one the extension is stored as (what Arrow C++ read the column as). */
  private static boolean isStorage(String extension, ArrowType type) {
    return extension.equals(UUID) ? type instanceof ArrowType.FixedSizeBinary b && b.getByteWidth() == 16
        : type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8;
  }
}
