package io.arrownpz.internal.io;

import java.nio.file.Path;

/**
 * Turns member names into paths inside a target directory, refusing any name that would land elsewhere:
 * parent references, absolute paths, drive letters, backslashes, NUL. Reading a member by such a name is
 * fine; writing a file named after it is not.
 */
public final class SafeNames {
  private SafeNames() {}

  /** The path for {@code member} inside {@code dir}; throws IllegalArgumentException for unsafe names. */
  public static Path resolveInside(Path dir, String member) {
    if (member.isEmpty() || member.indexOf('\0') >= 0 || member.indexOf('\\') >= 0
        || member.startsWith("/") || member.matches("^[A-Za-z]:.*")) {
      throw new IllegalArgumentException("member name '" + member + "' is not a safe file name");
    }
    for (String part : member.split("/")) {
      if (part.equals("..") || part.equals(".") || part.isEmpty()) {
        throw new IllegalArgumentException("member name '" + member + "' is not a safe file name");
      }
    }
    Path base = dir.toAbsolutePath().normalize();
    Path resolved = base.resolve(member).normalize();
    if (!resolved.startsWith(base) || resolved.equals(base)) {
      throw new IllegalArgumentException("member name '" + member + "' would leave " + dir);
    }
    return resolved;
  }
}
