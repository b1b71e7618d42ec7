package io.arrownpz.flight.internal;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.bridge.internal.Errors;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.memory.OutOfMemoryException;

/** What a failed call tells its client: a Flight status with a one-line description naming the dataset. */
public final class Calls {
  private Calls() {}

  /** The exception's message on one line, as the CLI prints it. */
  public static String oneLine(Throwable e) {
    return Errors.oneLine(e);
  }

  /** A Flight error for a failure while serving {@code name}; Flight errors pass through as they are. */
  public static FlightRuntimeException failure(String name, Throwable e) {
    if (e instanceof FlightRuntimeException flight) {
      return flight;
    }
    CallStatus status;
    if (e instanceof OutOfMemoryException) {
      status = CallStatus.RESOURCE_EXHAUSTED.withDescription(name + ": over the memory one call may use ("
          + oneLine(e) + ")");
    } else if (e instanceof UnsupportedDataException || e instanceof UnsupportedFileException) {
      status = CallStatus.INVALID_ARGUMENT.withDescription(oneLine(e));
    } else if (e instanceof MalformedStreamException) {
      status = CallStatus.INVALID_ARGUMENT.withDescription(name + ": " + oneLine(e));
    } else if (e instanceof BadFileException) {
      status = CallStatus.INTERNAL.withDescription(oneLine(e));
    } else if (e instanceof FileAlreadyExistsException) {
      status = CallStatus.ALREADY_EXISTS.withDescription(name + ": exists already");
    } else if (e instanceof NoSuchFileException) {
      status = CallStatus.NOT_FOUND.withDescription(name + ": no such dataset");
    } else {
      status = CallStatus.INTERNAL.withDescription(name + ": " + oneLine(e));
    }
    return status.withCause(e).toRuntimeException();
  }
}
