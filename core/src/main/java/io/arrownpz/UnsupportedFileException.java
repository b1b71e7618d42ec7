package io.arrownpz;

import java.nio.file.Path;

/**
 * A valid file holding something that cannot be carried where it was asked to go: a type the target
 * format has no form for, or one Arrow Java cannot represent. Like every {@link BadFileException}, the
 * message names the file, the member or column, and the problem, on one line.
 */
public class UnsupportedFileException extends BadFileException {
  public UnsupportedFileException(Path file, String problem) {
    super(String.valueOf(file), null, problem, null);
  }

  public UnsupportedFileException(String file, String problem, Throwable cause) {
    super(file, null, problem, cause);
  }
}
