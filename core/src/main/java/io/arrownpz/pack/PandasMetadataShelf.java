package io.arrownpz.pack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code pandas} schema metadata across a pack and an unpack. It describes the event columns
 * (dtypes such as pandas' {@code string}), which a packed table holds as lists: pandas would apply it
 * to the lists and fail. Packing puts it aside under a key of our own; unpacking puts it back.
 */
final class PandasMetadataShelf {
  static final String PANDAS = "pandas";
  /** Where a packed table keeps the events' pandas metadata. */
  static final String SHELVED = "arrownpz.events.pandas";

  private PandasMetadataShelf() {}

  /** The events' schema metadata for their packed table. */
  static Map<String, String> shelve(Map<String, String> events) {
    Map<String, String> packed = new LinkedHashMap<>(events == null ? Map.of() : events);
    String pandas = packed.remove(PANDAS);
    if (pandas != null) {
      packed.put(SHELVED, pandas);
    }
    return packed;
  }

  /** A packed table's schema metadata for its events. */
  static Map<String, String> restore(Map<String, String> packed) {
    Map<String, String> events = new LinkedHashMap<>(packed == null ? Map.of() : packed);
    String pandas = events.remove(SHELVED);
    if (pandas != null) {
      events.put(PANDAS, pandas);
    }
    return events;
  }
}
