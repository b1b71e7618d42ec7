package io.arrownpz.bridge.internal;

/** Error text from libraries (Arrow Java, Arrow C++ through JNI) made fit for one line. */
public final class Errors {
  private Errors() {}

  /**
   * The message of {@code e} (or its class name when it has none) on one line: native messages carry
   * C++ source locations and stack lines after the first line, which mean nothing to a user.
   */
  public static String oneLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    String first = message.strip().lines().findFirst().orElse("");
    // Arrow C++ prefixes messages with the source file and line: "/arrow/cpp/src/...cc:123  text".
    return first.replaceFirst("^\\S+\\.(cc|h|cpp):\\d+\\s+", "").strip();
  }
}
