package io.arrownpz.spark;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Paths as Spark passes them to a source: a plain path, or a URI. A {@code file:} URI ({@code
 * file:///data/x}, {@code file:/data/x}, {@code file://localhost/data/x}) is the local path it names; any
 * other file system ({@code hdfs:}, {@code s3a:}, {@code abfs:}, ...) is refused, before anything is read
 * or written, rather than taken for a local folder named after the URI.
 */
final class SparkPaths {
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  private SparkPaths() {}

  /** {@code given} as a local path (globs kept as written); what a read or write is told, on anything else. */
  static String local(String given) {
    int colon = given.indexOf(':');
    int slash = given.indexOf('/');
    if (colon <= 0 || slash >= 0 && slash < colon || !SCHEME.matcher(given.substring(0, colon)).matches()) {
      return given; // no scheme: a plain path (a colon later in it is part of a name)
    }
    String scheme = given.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!scheme.equals("file")) {
      throw new IllegalArgumentException("npz: " + given + ": the " + scheme + ": file system is not read or "
          + "written by this connector yet; give a local path (a plain path, or file:), or a shared file system "
          + "mounted on every node");
    }
    String rest = given.substring(colon + 1);
    if (rest.startsWith("//")) {
      int end = rest.indexOf('/', 2);
      String host = end < 0 ? rest.substring(2) : rest.substring(2, end);
      if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
        throw new IllegalArgumentException("npz: " + given + ": a file: URI names a file of this machine; "
            + "this one names host " + host);
      }
      rest = end < 0 ? "/" : rest.substring(end);
    }
    if (!rest.startsWith("/")) {
      throw new IllegalArgumentException("npz: " + given + ": a file: URI takes an absolute path");
    }
    return rest;
  }

  static Path localPath(String given) {
    return Path.of(local(given));
  }
}
