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
    return take(span, 1, 0);
  }

  /**
   * As {@link #take(long)}, for a base {@code phase} bytes past a multiple of {@code alignment}: a file's
   * mapping whose addresses agree with its file offsets modulo the huge page size can be mapped a huge page
   * at a time where the page cache holds the file in large folios. What the alignment leaves before and
   * after the base stays reserved.
   */
  synchronized long take(long span, long alignment, long phase) {
    long rangeStart = 0;
    long rangeSpan = 0;
    long base = 0;
    for (Map.Entry<Long, Long> range : spanByBase.entrySet()) {
      long start = range.getKey();
      long length = range.getValue();
      long aligned = start + Math.floorMod(phase - start, alignment);
      if (aligned + span <= start + length && (rangeSpan == 0 || length < rangeSpan)) {
        rangeStart = start;
        rangeSpan = length;
        base = aligned;
      }
    }
    if (rangeSpan == 0) {
      return 0;
    }
    // Read before the removal: TreeMap's removal may move another range's key and value into an entry.
    spanByBase.remove(rangeStart);
    if (base > rangeStart) {
      spanByBase.put(rangeStart, base - rangeStart);
    }
    long end = rangeStart + rangeSpan;
    if (end > base + span) {
      spanByBase.put(base + span, end - base - span);
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
