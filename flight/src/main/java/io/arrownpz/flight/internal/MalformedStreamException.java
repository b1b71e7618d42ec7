package io.arrownpz.flight.internal;

/**
 * A batch of a Flight stream whose buffers or dictionary indices do not hold what its lengths say: the
 * sender's fault (an upload is refused as INVALID_ARGUMENT), never the service's.
 */
public final class MalformedStreamException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  MalformedStreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
