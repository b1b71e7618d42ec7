package io.arrownpz;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as what it claims to be. The message always names the file, the member
 * inside it when there is one, and the problem, so that a user can act on it without a stack trace.
 */
public class BadFileException extends IOException {
  private final String file;
  private final String member;
  private final String problem;
  private Remedy remedy;

  public BadFileException(Path file, String member, String problem) {
    this(String.valueOf(file), member, problem, null);
  }

  public BadFileException(String file, String member, String problem) {
    this(file, member, problem, null);
  }

  public BadFileException(String file, String member, String problem, Throwable cause) {
    super(format(file, member, problem), cause);
    this.file = file;
    this.member = member;
    this.problem = problem;
  }

  private static String format(String file, String member, String problem) {
    return member == null ? file + ": " + problem : file + ": " + member + ": " + problem;
  }

  public String file() {
    return file;
  }

  /** The member of an archive the problem is in, or null for a plain file. */
  public String member() {
    return member;
  }

  public String problem() {
    return problem;
  }

  /** The choice that gets past this refusal, or null when there is none. */
  public Remedy remedy() {
    return remedy;
  }

  /** Records the choice that gets past this refusal; returns this exception. */
  public BadFileException withRemedy(Remedy value) {
    this.remedy = value;
    return this;
  }
}
