package io.arrownpz.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory as Linux reports it in /proc/self/status and /proc/self/maps. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /**
   * Resident memory mapped from files: file-backed pages, and shared-memory ones for files on a tmpfs
   * (where a temporary directory may be).
   */
  public static long residentMappedKiB() throws IOException {
    long kib = 0;
    int found = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("RssFile:") || line.startsWith("RssShmem:")) {
        kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
        found++;
      }
    }
    if (found != 2) {
      throw new AssertionError("no RssFile and RssShmem in /proc/self/status");
    }
    return kib;
  }

  /** The permissions ("r--", "rw-", ...) of the mapping that holds {@code address}, from /proc/self/maps. */
  public static String permissions(long address) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] fields = line.split(" +");
      String[] range = fields[0].split("-");
      if (Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16)) {
        return fields[1].substring(0, 3);
      }
    }
    return "unmapped";
  }

  /** The file mapped at {@code address} (its path as /proc/self/maps gives it), or null if none is. */
  public static String mappedFile(long address) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] fields = line.split(" +", 6);
      String[] range = fields[0].split("-");
      if (Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16)) {
        return fields.length == 6 && fields[5].startsWith("/") ? fields[5].strip() : null;
      }
    }
    return null;
  }

  /** Whether any mapping of this process is of {@code file} (its real path), as /proc/self/maps says. */
  public static boolean maps(Path file) throws IOException {
    String path = file.toRealPath().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] fields = line.split(" +", 6);
      if (fields.length == 6 && fields[5].strip().equals(path)) {
        return true;
      }
    }
    return false;
  }

  /** Heap bytes in use once garbage is collected (the least of three collections' figures). */
  public static long heapInUse() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
