package io.arrownpz.internal.io;

import java.nio.file.Path;

/**
 * Turns member names into paths inside a target directory, refusing any name that would land elsewhere:
 * parent references, absolute paths, drive letters, backslashes, NUL. Reading a member by such a name is
 * fine; writing a file named after it is not.
 */
public final class SafeNames {
  private SafeNames() {}

  /**
   * The path for {@code member} inside {@code dir}; throws IllegalArgumentException for unsafe names. Checked
   * by hand, without a regular expression or a normalized copy of {@code dir}: an NPY-directory frame asks
   * for thousands of members on every open.
   */
  public static Path resolveInside(Path dir, String member) {
    if (member.isEmpty() || member.indexOf('\0') >= 0 || member.indexOf('\\') >= 0 || member.startsWith("/")
        || hasDriveLetter(member)) {
      throw new IllegalArgumentException("member name '" + member + "' is not a safe file name");
    }
    int start = 0;
    while (start <= member.length()) {
      int end = member.indexOf('/', start);
      if (end < 0) {
        end = member.length();
      }
      if (end == start || isDots(member, start, end)) {
        throw new IllegalArgumentException("member name '" + member + "' is not a safe file name");
      }
      start = end + 1;
    }
    // Every part is a plain name now, so the path cannot leave dir (links inside it are the caller's to judge).
    return dir.resolve(member);
  }

  private static boolean hasDriveLetter(String member) {
    if (member.length() < 2 || member.charAt(1) != ':') {
      return false;
    }
    char c = member.charAt(0);
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** Whether {@code member[start, end)} is "." or "..". */
  private static boolean isDots(String member, int start, int end) {
    int n = end - start;
    return (n == 1 || n == 2) && member.charAt(start) == '.' && member.charAt(end - 1) == '.';
  }
}
