package io.arrownpz.internal.memory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Address ranges that held a mapping once and now hold harmless zero pages (see
 * {@link NativeMapper#retire}), kept so that later mappings reuse them instead of growing the process's
 * address space and its count of kernel mappings without end. Adjacent ranges are merged; a request
 * takes the smallest range that fits and leaves the rest reserved.
 */
final class ReservedRanges {
  private final TreeMap<Long, Long> spanByBase = new TreeMap<>();

  /** The base of a reserved range of exactly {@code span} bytes, now no longer reserved, or 0 if none fits. */
  synchronized long take(long span) {
    Map.Entry<Long, Long> best = null;
    for (Map.Entry<Long, Long> range : spanByBase.entrySet()) {
      if (range.getValue() >= span && (best == null || range.getValue() < best.getValue())) {
        best = range;
      }
    }
    if (best == null) {
      return 0;
    }
    long base = best.getKey();
    long rest = best.getValue() - span;
    spanByBase.remove(base);
    if (rest > 0) {
      spanByBase.put(base + span, rest);
    }
    return base;
  }

  /** Reserves {@code [base, base + span)} for reuse, merged with its neighbours. */
  synchronized void give(long base, long span) {
    Map.Entry<Long, Long> before = spanByBase.floorEntry(base);
    if (before != null && before.getKey() + before.getValue() == base) {
      spanByBase.remove(before.getKey());
      base = before.getKey();
      span += before.getValue();
    }
    Long after = spanByBase.remove(base + span);
    if (after != null) {
      span += after;
    }
    spanByBase.put(base, span);
  }

  /** Bytes of address space reserved and not in use. */
  synchronized long reservedBytes() {
    return spanByBase.values().stream().mapToLong(Long::longValue).sum();
  }
}
