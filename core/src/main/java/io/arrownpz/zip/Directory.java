package io.arrownpz.zip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What opening an archive learns: its members as the central directory lists them, and each member's
 * local header as read (where its data starts, and its first bytes), for the reads of this open only.
 *
 * <p>Thread-safe: heads are remembered as members are read, from any thread.
 */
final class Directory {
  /** Heads are remembered with at most this many first bytes: enough for an NPY header and a frame's JSON. */
  static final int MAX_REMEMBERED_PREFIX = 4096;

  final long centralDirectoryOffset;
  final List<ZipEntry> entries;
  private final Map<String, ZipEntry> byName;
  private final boolean uniqueNames;
  /** Whether every member is STORED: asked on every open of a frame, and a walk of 10,000 entries costs. */
  final boolean allStored;
  /** By entry index: kept compact (an offset and a byte array each), as thousands are looked up per open. */
  private final AtomicReferenceArray<Remembered> heads;

  Directory(long centralDirectoryOffset, List<ZipEntry> entries) {
    this.centralDirectoryOffset = centralDirectoryOffset;
    this.entries = Collections.unmodifiableList(entries);
    Map<String, ZipEntry> names = new HashMap<>(entries.size() * 2);
    for (ZipEntry e : entries) {
      names.put(e.name(), e); // the last of duplicate names wins, as in Python's zipfile
    }
    this.byName = names;
    this.uniqueNames = names.size() == entries.size();
    this.allStored = entries.stream().allMatch(ZipEntry::isStored);
    this.heads = new AtomicReferenceArray<>(entries.size());
  }

  /**
   * The entry of this name, or null; the entry at index {@code guess} is tried first. In a profile of opening a
   * 10,000-member frame again, the lookups by name were a third of the time: each one misses the cache in
   * the table, its node and its key. Members asked for in their stored order are found by walking the list
   * instead (what is left is the misses on the entries themselves, paid later if not here). Only where no
   * two members share a name (an archive read from a file never has two: it is refused), so that a guess
   * could never find an earlier duplicate than the one that counts.
   */
  ZipEntry entry(String name, int guess) {
    if (uniqueNames && guess >= 0 && guess < entries.size()) {
      ZipEntry next = entries.get(guess);
      if (next.name().equals(name)) {
        return next;
      }
    }
    return byName.get(name);
  }

  /** The member's head read with {@code prefixBytes} first bytes or more, or null when none was kept. */
  ZipArchive.Head head(ZipEntry entry, int prefixBytes) {
    Remembered r = kept(entry);
    if (r == null || r.asked < prefixBytes) {
      return null;
    }
    int n = Math.min(r.prefix.length, prefixBytes);
    return new ZipArchive.Head(r.dataOffset, ByteBuffer.wrap(r.prefix, 0, n).slice().order(ByteOrder.LITTLE_ENDIAN),
        r.learnt);
  }

  /** Keeps {@code learnt} with the entry's kept head, if one is kept. */
  void learn(ZipEntry entry, Object learnt) {
    Remembered r = kept(entry);
    if (r != null) {
      r.learnt = learnt;
    }
  }

  /** Keeps a head read with {@code prefixBytes} asked for, when its prefix is small. */
  void remember(ZipEntry entry, int prefixBytes, ZipArchive.Head head) {
    if (prefixBytes > MAX_REMEMBERED_PREFIX || entry.index() < 0 || entry.index() >= heads.length()
        || entries.get(entry.index()) != entry) {
      return;
    }
    Remembered old = heads.get(entry.index());
    if (old == null || old.asked < prefixBytes) {
      byte[] prefix = new byte[head.prefix().remaining()];
      head.prefix().get(head.prefix().position(), prefix);
      heads.set(entry.index(), new Remembered(prefixBytes, head.dataOffset(), prefix));
    }
  }

  /** What is kept of this entry's head: only for this directory's own entries. */
  private Remembered kept(ZipEntry entry) {
    int i = entry.index();
    return i >= 0 && i < heads.length() && entries.get(i) == entry ? heads.get(i) : null;
  }

  private static final class Remembered {
    final int asked;
    final long dataOffset;
    final byte[] prefix;
    /** What a reader made of the head (a parsed NPY header), kept for the next open; may be set from any thread. */
    volatile Object learnt;

    Remembered(int asked, long dataOffset, byte[] prefix) {
      this.asked = asked;
      this.dataOffset = dataOffset;
      this.prefix = prefix;
    }
  }
}
