package io.arrownpz.flight;

import java.io.IOException;
import java.util.List;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightServerMiddleware;
import org.apache.arrow.memory.BufferAllocator;

/**
 * More calls answered on a {@link FlightService}'s port, beside the files it serves (Flight SQL, say): the
 * service hands over its own producer, its datasets and its limits, and serves the producer this gives
 * back, which passes every call it does not answer to the service's own.
 */
public interface ServiceExtension {
  /**
   * @param files the service's own producer: list, describe, get and put its datasets
   * @param datasets the served datasets, to read whole
   * @param limits what each of the extension's calls that moves data takes, as the service's own calls do
   * @param allocator the service's allocator, closed after the producer (when it is {@link AutoCloseable})
   */
  FlightProducer extend(FlightProducer files, ServedDatasets datasets, CallLimits limits, BufferAllocator allocator)
      throws IOException;

  /** Middleware the extension's calls read through {@code CallContext.getMiddleware(key)}; none by default. */
  default List<Middleware<?>> middleware() {
    return List.of();
  }

  /** A middleware factory, registered on the service under its key. */
  record Middleware<T extends FlightServerMiddleware>(FlightServerMiddleware.Key<T> key,
      FlightServerMiddleware.Factory<T> factory) {
    void addTo(org.apache.arrow.flight.FlightServer.Builder builder) {
      builder.middleware(key, factory);
    }
  }
}
