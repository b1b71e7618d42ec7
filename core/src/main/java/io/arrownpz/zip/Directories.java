package io.arrownpz.zip;

import io.arrownpz.internal.memory.KeptMappings.Key;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The directories of archives opened lately, so that opening one again skips reading its members' local
 * headers (the reads of a frame's open that grow with its columns: at 100 to 1,000 members, a system call
 * each was most of the open). An archive's directory is used again only when the file is the same one,
 * unchanged as far as can be seen: same path, file identity, size and modification time, and a central
 * directory read afresh by this open that is byte for byte the one kept, with every member's offset,
 * sizes and CRC-32. A rewrite that keeps all of that keeps every member where it was.
 *
 * <p>Bounded by members in all: the least recently opened archives are dropped first. Thread-safe.
 */
final class Directories {
  /** Members kept in all by {@link #SHARED}: some 60 MiB of heap at most (a few hundred bytes a member). */
  static final int MAX_MEMBERS = 100_000;
  /** The one every archive open uses. */
  static final Directories SHARED = new Directories(MAX_MEMBERS);

  private final int maxMembers;
  private final Map<Key, Directory> kept = new LinkedHashMap<>(16, 0.75f, true);
  private int members;

  Directories(int maxMembers) {
    this.maxMembers = maxMembers;
  }

  /** The kept directory of this file if its central directory, just read at {@code offset}, is the same. */
  synchronized Directory get(Key key, long offset, ByteBuffer centralDirectory) {
    Directory d = kept.get(key);
    return d != null && d.describes(offset, centralDirectory) ? d : null;
  }

  /** Keeps a directory, dropping the least recently used past the bound (one larger than it is not kept). */
  synchronized void put(Key key, Directory directory) {
    if (directory.members() > maxMembers) {
      return;
    }
    Directory old = kept.put(key, directory);
    members += directory.members() - (old == null ? 0 : old.members());
    for (Iterator<Directory> it = kept.values().iterator(); members > maxMembers && it.hasNext(); ) {
      Directory eldest = it.next();
      if (eldest != directory) {
        members -= eldest.members();
        it.remove();
      }
    }
  }

  synchronized int members() {
    return members;
  }

  synchronized int size() {
    return kept.size();
  }
}
