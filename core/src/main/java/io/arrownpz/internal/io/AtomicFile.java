package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way our files are written, so that nothing but the named output ever changes:
 *
 * <ul>
 *   <li>a regular file (new or existing) is written under a temporary name beside it and renamed into
 *       place by {@link #commit()}: a failed write leaves no partial file and the old one intact;
 *   <li>a symbolic link (relative, absolute, dangling, chained) is written through: its final target is
 *       replaced that way, and the link stays a link;
 *   <li>a pipe, a device or anything under {@code /dev} or {@code /proc} ({@code /dev/stdout}) is never
 *       renamed over: the bytes are spooled to a temporary file and streamed to it on commit, so a
 *       reader gets all of them or, on failure, none.
 * </ul>
 *
 * A new file gets the permissions the umask gives any new file (as NumPy, pyarrow and cp do); a replaced
 * file keeps its own.
 */
public final class AtomicFile implements AutoCloseable {
  private static final int MAX_LINKS = 40;

  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private boolean committed;

  private AtomicFile(Path target, Path temporary, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
  }

  public static AtomicFile create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    boolean streamed = isStream(absolute);
    Path resolved = streamed ? absolute : throughLinks(absolute);
    Path dir = streamed ? Path.of(System.getProperty("java.io.tmpdir")) : resolved.getParent();
    if (!streamed) {
      Files.createDirectories(dir);
    }
    Path temporary = newTemporary(dir, resolved.getFileName().toString(), target);
    try {
      // The file is new and empty. No TRUNCATE_EXISTING: on ext4, truncating to zero marks the file for
      // forced block allocation at close (auto_da_alloc), which doubled the time of large writes.
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.READ);
      return new AtomicFile(streamed ? absolute : resolved, temporary, channel);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /**
   * Where a writer we do not drive should make its files before {@link #install}: beside the file the
   * target's links lead to (so the final rename stays on one file system), or the temporary directory
   * for a pipe or device. Created when missing.
   */
  public static Path workDirectory(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (isStream(absolute)) {
      return Path.of(System.getProperty("java.io.tmpdir"));
    }
    Path dir = throughLinks(absolute).getParent();
    Files.createDirectories(dir);
    return dir;
  }

  /**
   * Whether a path is to be streamed to rather than replaced: a pipe, a device, a socket, anything under
   * /proc, and a process's own streams under /dev ({@code /dev/stdout}, {@code /dev/fd/1}). Files in
   * /dev/shm (a tmpfs) are files like any other.
   */
  public static boolean isStream(Path path) {
    String text = path.normalize().toString();
    if (text.startsWith("/proc/") || text.startsWith("/dev/") && leadsIntoProc(path)) {
      return true;
    }
    return Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
  }

  /** /dev/stdout is a link into /proc/self/fd; /dev/fd/1 is a name in /proc/self/fd, by a linked directory. */
  private static boolean leadsIntoProc(Path path) {
    try {
      Path parent = path.getParent();
      if (parent != null && Files.exists(parent) && parent.toRealPath().toString().startsWith("/proc/")) {
        return true;
      }
      return Files.isSymbolicLink(path)
          && path.resolveSibling(Files.readSymbolicLink(path)).normalize().toString().startsWith("/proc/");
    } catch (IOException e) {
      return true; // unreadable links under /dev: not a place to rename files into
    }
  }

  /** The path a chain of symbolic links leads to (itself when it is none); the last may not exist yet. */
  static Path throughLinks(Path path) throws IOException {
    Path at = path;
    for (int hops = 0; Files.isSymbolicLink(at); hops++) {
      if (hops == MAX_LINKS) {
        throw new IOException(path + ": too many levels of symbolic links");
      }
      at = at.resolveSibling(Files.readSymbolicLink(at)).normalize();
    }
    return at;
  }

  /**
   * A new empty file beside the target, created without explicit permissions so that the umask decides
   * them as for any new file (a temporary-file API would make it 0600).
   */
  private static Path newTemporary(Path dir, String name, Path target) throws IOException {
    return newSibling(dir, name, Files::createFile, target);
  }

  /**
   * A new empty directory beside {@code target} to build a directory output in, before it is renamed
   * into place; made without explicit permissions, so the umask decides them as for any new directory
   * (a temporary-directory API would make it 0700).
   */
  public static Path newWorkDirectory(Path dir, String name) throws IOException {
    return newSibling(dir, name, Files::createDirectory, dir.resolve(name));
  }

  @FunctionalInterface
  private interface Creator {
    Path create(Path path, java.nio.file.attribute.FileAttribute<?>... attributes) throws IOException;
  }

  /**
   * A new hidden ".NAME.HOST-PID-RANDOM.partial" entry in {@code dir}, made by {@code creator}; drawn again
   * if taken. A refusal (a read-only directory, no permission, a full disk) names {@code target}, the
   * output the user asked for, not the hidden name they never chose. Partial entries left in {@code dir}
   * by writers of this machine that no longer run (killed mid-write) are removed first.
   */
  private static Path newSibling(Path dir, String name, Creator creator, Path target) throws IOException {
    removeStale(dir, name);
    while (true) {
      Path candidate = dir.resolve("." + name + "." + OWNER + "-"
          + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + PARTIAL);
      try {
        return PARTIALS.add(creator.create(candidate));
      } catch (FileAlreadyExistsException e) {
        // another writer's; draw again
      } catch (FileSystemException e) {
        FileSystemException named = new FileSystemException(target.toString(), null,
            "cannot be written: " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        named.initCause(e);
        throw named;
      }
    }
  }

  private static final String PARTIAL = ".partial";
  /** The partial entries this process has made, for {@link #abandonAll}. */
  private static final Partials PARTIALS = new Partials();

  /**
   * Removes every partial entry this process still has (a file being written, a directory being filled),
   * so that a process about to stop on a signal leaves nothing behind. Safe to call from any thread while
   * writers run: what they write afterwards goes to files no longer named.
   */
  public static void abandonAll() {
    PARTIALS.removeAll();
  }

  /**
   * The partial entries made, kept as a set whose finished entries (renamed into place or removed by their
   * writer) are dropped as it grows, so that a long-running server does not collect them without bound.
   */
  private static final class Partials {
    private static final int PRUNE_FROM = 1024;
    private final java.util.Set<Path> made = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Path add(Path partial) {
      if (made.size() >= PRUNE_FROM) {
        made.removeIf(p -> !Files.exists(p, LinkOption.NOFOLLOW_LINKS));
      }
      made.add(partial);
      return partial;
    }

    void removeAll() {
      for (Path partial : made) {
        try {
          Trees.delete(partial); // a file, or a directory and what it holds
        } catch (IOException | RuntimeException e) {
          // left for the next writer of that name, which removes the partials of processes gone
        }
        made.remove(partial);
      }
    }
  }
  /** Who writes a partial entry: this machine and process, so that a later writer can tell a dead one's. */
  private static final String HOST = hostName();
  private static final String OWNER = HOST + "-" + ProcessHandle.current().pid();

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.]", "_");
    } catch (java.io.IOException | RuntimeException e) {
      return "localhost";
    }
  }

  /**
   * Deletes ".NAME.HOST-PID-*.partial" entries of this host whose process is gone: what a writer killed
   * by a signal or a power cut leaves. Entries of live processes, of other hosts (a shared file system)
   * and of names we cannot parse are left alone. The directory is listed once per process
   * ({@link #STALE}), and every dead writer's entry found then is removed, whatever output it was for;
   * an entry whose writer dies later is removed by this process's next write of that name, or by the
   * next process that writes into the directory.
   */
  static void removeStale(Path dir, String name) {
    for (Path entry : STALE.take(dir, name)) {
      try {
        Trees.delete(entry);
      } catch (IOException | RuntimeException e) {
        // Cleaning up after others is a courtesy; the write itself goes on.
      }
    }
  }

  /**
   * The partial entries of writers of this host found in directories written to, by name, each directory
   * listed once: a process writing 10,000 files into one directory listed it on every write, each listing
   * longer than the last (the Flight service's puts into a directory of many datasets, a program writing
   * its outputs side by side). Bounded: the directories written to lately.
   */
  static final StalePartials STALE = new StalePartials();

  static final class StalePartials {
    private static final int MAX_DIRECTORIES = 256;
    private final Map<Path, Map<String, List<Path>>> listed = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Path, Map<String, List<Path>>> eldest) {
        return size() > MAX_DIRECTORIES;
      }
    };

    /**
     * The entries in {@code dir} whose writer is gone, taken out of what is kept: at the directory's first
     * listing in this process, those of every name; later, those of {@code name} (whose writers were alive
     * at that listing and may have died since).
     */
    List<Path> take(Path dir, String name) {
      Map<String, List<Path>> byName;
      synchronized (this) {
        byName = listed.get(dir);
      }
      if (byName == null) {
        Map<String, List<Path>> fresh = list(dir);
        List<Path> gone = new ArrayList<>();
        for (List<Path> entries : fresh.values()) {
          entries.removeIf(entry -> writerIsGone(entry) && gone.add(entry));
        }
        synchronized (this) {
          if (listed.putIfAbsent(dir, fresh) == null) {
            return gone;
          }
          byName = listed.get(dir); // another thread listed it first and removes what it found
        }
      }
      List<Path> entries;
      synchronized (this) {
        entries = byName == null ? null : byName.remove(name);
      }
      if (entries == null) {
        return List.of();
      }
      List<Path> gone = new ArrayList<>();
      for (Path entry : entries) {
        if (writerIsGone(entry)) {
          gone.add(entry);
        }
      }
      return gone;
    }

    private static boolean writerIsGone(Path entry) {
      long pid = pidOf(entry.getFileName().toString());
      return pid >= 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
    }

    /** Every ".NAME.HOST-PID-*.partial" entry of this host in {@code dir}, by NAME; empty if it cannot be listed. */
    private static Map<String, List<Path>> list(Path dir) {
      Map<String, List<Path>> byName = new HashMap<>();
      String ours = "." + HOST + "-";
      try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*" + PARTIAL)) {
        for (Path entry : entries) {
          String file = entry.getFileName().toString();
          int at = file.lastIndexOf(ours);
          if (at > 1) {
            byName.computeIfAbsent(file.substring(1, at), n -> new ArrayList<>()).add(entry);
          }
        }
      } catch (IOException | RuntimeException e) {
        // nothing listed, nothing removed
      }
      return byName;
    }

    /** The writer's process id in a partial entry of this host ("...HOST-PID-RANDOM.partial"); -1 if it has none. */
    private static long pidOf(String file) {
      String ours = "." + HOST + "-";
      String rest = file.substring(file.lastIndexOf(ours) + ours.length());
      int dash = rest.indexOf('-');
      try {
        return Long.parseLong(rest.substring(0, Math.max(dash, 0)));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  /** The channel to write (and, for writers that patch headers, to read back). */
  public FileChannel channel() {
    return channel;
  }

  /** Where the bytes end up: the named output, or the file its links lead to. */
  public Path target() {
    return target;
  }

  /** Closes the temporary file and renames it to the target, or streams it there. */
  public void commit() throws IOException {
    channel.close();
    install(temporary, target);
    committed = true;
  }

  /**
   * Swaps a finished directory (built in a {@link #newWorkDirectory}) in for the directory at {@code target}:
   * the old one is moved aside, the new one renamed in (the old one put back if that fails), and the old
   * one deleted only once the new one is in place.
   */
  public static void replaceDirectory(Path target, Path finished) throws IOException {
    Path aside = newWorkDirectory(target.getParent(), target.getFileName() + ".old");
    Files.delete(aside); // only its unique name is wanted
    Files.move(target, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    try {
      Files.move(finished, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.move(aside, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      throw e;
    }
    Trees.delete(aside);
  }

  /**
   * Puts a finished file (made by a writer we do not drive, such as the Parquet writer) at {@code target}
   * by the same rules: streamed to a pipe or device, renamed over a regular file or through symbolic
   * links, keeping a replaced file's mode. {@code finished} is gone afterwards.
   */
  public static void install(Path finished, Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (isStream(absolute)) {
      try (FileChannel in = FileChannel.open(finished, StandardOpenOption.READ);
           FileChannel out = FileChannel.open(absolute, StandardOpenOption.WRITE)) {
        long size = in.size();
        for (long at = 0; at < size; ) {
          at += in.transferTo(at, size - at, out);
        }
      } finally {
        Files.deleteIfExists(finished);
      }
      return;
    }
    Path resolved = throughLinks(absolute);
    BasicFileAttributes old = attributesOf(resolved);
    if (old != null && old.isDirectory()) {
      // rename(2) refuses a file over a directory, and its message names our hidden partial file; a
      // directory is never replaced by a file, whatever --overwrite says.
      Files.deleteIfExists(finished);
      throw new FileSystemException(target.toString(), null, "is a directory; not replaced by a file");
    }
    keepPermissionsOfReplaced(finished, old);
    FileChannel held = ReplacedFiles.hold(resolved, old);
    try {
      Files.move(finished, resolved, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(finished, resolved, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      ReplacedFiles.release(held);
    }
  }

  /**
   * Waits, at most {@code millis}, until the files that installs replaced have been let go of (their last
   * close, which frees their pages, is left to a background thread); whether that happened. For benchmarks
   * that time another program right after a write, on a machine whose cores that thread would share.
   */
  public static boolean awaitReplacedReleased(long millis) throws InterruptedException {
    return ReplacedFiles.WORKER.awaitIdle(millis);
  }

  /** The attributes of what is at {@code path} itself (POSIX ones where the file system has them); null if nothing. */
  private static BasicFileAttributes attributesOf(Path path) throws IOException {
    try {
      if (Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS) != null) {
        return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      }
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** A replaced file keeps its mode (a new one has the umask's, from its creation). */
  private static void keepPermissionsOfReplaced(Path temporary, BasicFileAttributes old) throws IOException {
    if (old instanceof PosixFileAttributes posix && old.isRegularFile()) {
      PosixFileAttributeView fresh = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
      if (fresh != null) {
        Set<PosixFilePermission> mode = posix.permissions();
        fresh.setPermissions(mode);
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
