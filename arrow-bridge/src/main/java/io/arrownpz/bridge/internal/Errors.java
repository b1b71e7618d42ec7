package io.arrownpz.bridge.internal;

/** Error text from libraries (Arrow Java, Arrow C++ through JNI) made fit for one line. */
public final class Errors {
  private Errors() {}

  /**
   * The message of {@code e} on one line: native messages carry C++ source locations and stack lines after
   * the first line, which mean nothing to a user. An exception without a message (Arrow's and flatbuffers'
   * bounds checks throw bare ones) is said in words, not as a Java class name.
   */
  public static String oneLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return withoutMessage(e);
    }
    String first = message.strip().lines().findFirst().orElse("");
    // Arrow C++ prefixes messages with the source file and line: "/arrow/cpp/src/...cc:123  text".
    return first.replaceFirst("^\\S+\\.(cc|h|cpp):\\d+\\s+", "").strip();
  }

  private static String withoutMessage(Throwable e) {
    if (e instanceof IndexOutOfBoundsException || e instanceof java.nio.BufferUnderflowException) {
      return "a length or offset points outside its data (corrupt metadata)";
    }
    if (e instanceof NegativeArraySizeException || e instanceof ArithmeticException) {
      return "a length that cannot be (corrupt metadata)";
    }
    if (e instanceof NullPointerException) {
      return "a required part is missing (corrupt metadata)";
    }
    return "malformed data (" + e.getClass().getSimpleName() + ")";
  }
}
