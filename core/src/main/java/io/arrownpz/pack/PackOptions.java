package io.arrownpz.pack;

import java.util.List;
import java.util.Set;

/**
 * How {@link Packer} groups events.
 *
 * @param keys the columns whose values name a group (one or more); they stay scalar
 * @param orderBy a column to sort events by inside each group (stable), or null to keep input order
 * @param sortGroups groups in key order (nulls first) instead of order of first appearance
 * @param dropNullKeys leave out events with a null in any key column, instead of grouping them
 * @param keepScalar columns to keep as one value per group; each must be constant inside every group
 * @param detectScalar also keep as scalar every other column that turns out constant inside every group
 */
public record PackOptions(List<String> keys, String orderBy, boolean sortGroups, boolean dropNullKeys,
    Set<String> keepScalar, boolean detectScalar) {

  public PackOptions {
    keys = List.copyOf(keys);
    keepScalar = Set.copyOf(keepScalar);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("packing needs at least one key column");
    }
  }

  public static PackOptions byKeys(String... keys) {
    return new PackOptions(List.of(keys), null, false, false, Set.of(), false);
  }

  public PackOptions orderBy(String column) {
    return new PackOptions(keys, column, sortGroups, dropNullKeys, keepScalar, detectScalar);
  }

  public PackOptions sortGroups(boolean value) {
    return new PackOptions(keys, orderBy, value, dropNullKeys, keepScalar, detectScalar);
  }

  public PackOptions dropNullKeys(boolean value) {
    return new PackOptions(keys, orderBy, sortGroups, value, keepScalar, detectScalar);
  }

  public PackOptions keepScalar(Set<String> columns) {
    return new PackOptions(keys, orderBy, sortGroups, dropNullKeys, columns, detectScalar);
  }

  public PackOptions detectScalar(boolean value) {
    return new PackOptions(keys, orderBy, sortGroups, dropNullKeys, keepScalar, value);
  }
}
