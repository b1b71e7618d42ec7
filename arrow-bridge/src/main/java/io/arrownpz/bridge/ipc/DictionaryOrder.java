package io.arrownpz.bridge.ipc;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The order an IPC writer writes dictionaries in: a dictionary whose values hold another's indices (a
 * dictionary of lists of categories) after that other one. A reader loads each dictionary as it comes
 * and needs the inner ones to load it: pyarrow refused a file written outer first ("Dictionary with id 1
 * not found").
 */
final class DictionaryOrder {
  private DictionaryOrder() {}

  /** {@code ids}, each after every dictionary its values refer to; otherwise by id. */
  static Set<Long> innerFirst(DictionaryProvider provider, Set<Long> ids) {
    Set<Long> ordered = new LinkedHashSet<>();
    for (long id : new TreeSet<>(ids)) {
      visit(id, provider, ordered, new HashSet<>());
    }
    return ordered;
  }

  /**
   * Of {@code ordered} (inner first), the dictionaries that take part in nesting: those whose values hold
   * another's indices, and those others. A writer cannot tell such a dictionary unchanged by its own
   * values (the same indices may now mean other values of the inner one), so a stream sends them again
   * with every batch.
   */
  static Set<Long> nested(DictionaryProvider provider, Set<Long> ordered) {
    Set<Long> involved = new HashSet<>();
    for (long id : ordered) {
      Dictionary dictionary = provider.lookup(id);
      if (dictionary == null) {
        continue;
      }
      Set<Long> inner = new TreeSet<>();
      for (Field child : dictionary.getVector().getField().getChildren()) {
        referenced(child, inner);
      }
      if (!inner.isEmpty()) {
        involved.add(id);
        involved.addAll(inner);
      }
    }
    Set<Long> inOrder = new LinkedHashSet<>(ordered);
    inOrder.retainAll(involved);
    return inOrder;
  }

  private static void visit(long id, DictionaryProvider provider, Set<Long> ordered, Set<Long> visiting) {
    if (ordered.contains(id) || !visiting.add(id)) {
      return; // written already, or a cycle (which no reader could load either way)
    }
    Dictionary dictionary = provider.lookup(id);
    if (dictionary != null) {
      for (Field child : dictionary.getVector().getField().getChildren()) {
        for (long inner : referenced(child, new TreeSet<>())) {
          visit(inner, provider, ordered, visiting);
        }
      }
    }
    ordered.add(id);
  }

  private static Set<Long> referenced(Field field, Set<Long> into) {
    if (field.getDictionary() != null) {
      into.add(field.getDictionary().getId());
    }
    for (Field child : field.getChildren()) {
      referenced(child, into);
    }
    return into;
  }
}
