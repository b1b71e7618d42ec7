package io.arrownpz.flight.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.Ticket;

/**
 * Turns what a client sends (path descriptors, tickets) into files under the served directory, and never
 * into anything outside it: names are checked component by component before they touch the file
 * system ({@code ..}, {@code .}, empty components, absolute paths and NUL are refused), and the real path
 * of what they name, links followed, must still be inside the directory.
 *
 * <p>A dataset's name is its path relative to the directory, components joined by {@code /}; a path
 * descriptor may give it as one component per level or as one string with slashes. A trailing slash
 * (on an upload) names a directory.
 */
public final class DatasetNames {
  private final Path root; // real path of the served directory

  public DatasetNames(Path directory) throws IOException {
    this.root = directory.toRealPath();
    if (!Files.isDirectory(root)) {
      throw new IOException(directory + ": not a directory");
    }
  }

  public Path root() {
    return root;
  }

  /** The dataset name a path descriptor gives, checked. */
  public static String of(FlightDescriptor descriptor) {
    if (descriptor.isCommand()) {
      throw CallStatus.INVALID_ARGUMENT.withDescription("command descriptors are not served; use a path "
          + "descriptor (the dataset's path relative to the served directory)").toRuntimeException();
    }
    return check(descriptor.getPath());
  }

  /** A ticket for a file, by name. */
  public static Ticket ticket(String name) {
    return new Ticket(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A ticket for one file of a partitioned dataset, whose columns depend on the dataset it is read as: both
   * names, NUL between them (a character no name holds).
   */
  public static Ticket ticket(String dataset, String file) {
    return ticket(dataset + "\0" + file);
  }

  /**
   * The mark a coordinator puts after a partitioned dataset's ticket from a node whose files declare some
   * column without nulls where the dataset, as other nodes' files make it, declares every column nullable:
   * the node then sends the part with every column declared nullable, as the coordinator states the dataset.
   */
  private static final String AS_NULLABLE = "\0nullable";

  /** {@code ticket} (a dataset's and a file's names) marked to be sent with every column nullable. */
  public static Ticket asNullable(Ticket ticket) {
    return readsAsNullable(ticket) ? ticket
        : ticket(new String(ticket.getBytes(), StandardCharsets.UTF_8) + AS_NULLABLE);
  }

  /** Whether a ticket of two names is marked to be sent with every column nullable ({@link #asNullable}). */
  public static boolean readsAsNullable(Ticket ticket) {
    String text = new String(ticket.getBytes(), StandardCharsets.UTF_8);
    return text.endsWith(AS_NULLABLE) && text.indexOf('\0') < text.length() - AS_NULLABLE.length();
  }

  /**
   * The names a ticket holds, each checked as a descriptor's: the file's, or the dataset's and the file's
   * (with or without the mark of {@link #asNullable}).
   */
  public static List<String> namesOf(Ticket ticket) {
    String text = new String(ticket.getBytes(), StandardCharsets.UTF_8);
    if (readsAsNullable(ticket)) {
      text = text.substring(0, text.length() - AS_NULLABLE.length());
    }
    int nul = text.indexOf('\0');
    if (nul < 0) {
      return List.of(check(List.of(text)));
    }
    return List.of(check(List.of(text.substring(0, nul))), check(List.of(text.substring(nul + 1))));
  }

  static String check(List<String> path) {
    List<String> parts = new ArrayList<>();
    boolean directory = false;
    String shown = String.join("/", path);
    if (shown.isEmpty()) {
      throw invalid(shown, "is empty");
    }
    if (shown.startsWith("/")) {
      throw invalid(shown, "is absolute; name a path relative to the served directory");
    }
    if (shown.indexOf('\0') >= 0) {
      throw invalid(shown, "contains NUL");
    }
    for (int i = 0; i < path.size(); i++) {
      String[] pieces = path.get(i).split("/", -1);
      for (int j = 0; j < pieces.length; j++) {
        String piece = pieces[j];
        boolean last = i == path.size() - 1 && j == pieces.length - 1;
        if (piece.isEmpty() && last && !parts.isEmpty()) {
          directory = true; // a trailing slash
        } else if (piece.isEmpty() || piece.equals(".") || piece.equals("..")) {
          throw invalid(shown, "has a component '" + piece + "'; only plain names are allowed");
        } else {
          parts.add(piece);
        }
      }
    }
    return String.join("/", parts) + (directory ? "/" : "");
  }

  /** An existing file or directory of that name, inside the served directory with links followed. */
  public Path existing(String name) {
    Path path = root.resolve(stripSlash(name));
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw CallStatus.NOT_FOUND.withDescription(name + ": no such dataset").toRuntimeException();
    } catch (IOException e) {
      throw CallStatus.NOT_FOUND.withDescription(name + ": cannot be opened: " + e.getMessage()).toRuntimeException();
    }
    if (!real.startsWith(root)) {
      throw outside(name);
    }
    return real;
  }

  /**
   * Where an upload of that name goes: its directories are created as needed, inside the served directory,
   * and nothing is followed out of it.
   */
  public Path target(String name) throws IOException {
    Path path = root.resolve(stripSlash(name));
    Path existing = path.getParent();
    while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (!existing.toRealPath().startsWith(root)) {
      throw outside(name);
    }
    if (!Files.isDirectory(existing)) { // else creating the folders on the way fails as "exists already"
      throw CallStatus.INVALID_ARGUMENT.withDescription(name + ": " + nameOf(existing) + " is a file, not a folder")
          .toRuntimeException();
    }
    Files.createDirectories(path.getParent());
    if (!path.getParent().toRealPath().startsWith(root)) {
      throw outside(name);
    }
    if (Files.isSymbolicLink(path) && !path.toRealPath().startsWith(root)) {
      throw outside(name);
    }
    return path;
  }

  /** Whether a path found under the served directory stays inside it with links followed. */
  boolean isInside(Path path) {
    try {
      return path.toRealPath().startsWith(root);
    } catch (IOException e) {
      return false; // a dangling link
    }
  }

  /** The name of a file under the served directory. */
  public String nameOf(Path file) {
    StringBuilder name = new StringBuilder();
    for (Path part : root.relativize(file)) {
      name.append(name.length() == 0 ? "" : "/").append(part);
    }
    return name.toString();
  }

  private static String stripSlash(String name) {
    return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
  }

  private static RuntimeException invalid(String name, String problem) {
    return CallStatus.INVALID_ARGUMENT.withDescription("dataset path '" + name.replace("\0", "\\0") + "' "
        + problem).toRuntimeException();
  }

  private static RuntimeException outside(String name) {
    return CallStatus.UNAUTHORIZED.withDescription(name + ": leads outside the served directory")
        .toRuntimeException();
  }
}
