package io.arrownpz.flight;

import java.io.IOException;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * More calls answered on a {@link FlightService}'s port, beside the files it serves (Flight SQL, say): the
 * service hands over its own producer and its datasets, and serves the producer this gives back, which
 * passes every call it does not answer to the service's own.
 */
@FunctionalInterface
public interface ServiceExtension {
  /**
   * @param files the service's own producer: list, describe, get and put its datasets
   * @param datasets the served datasets, to read whole
   * @param allocator the service's allocator, closed after the producer (when it is {@link AutoCloseable})
   */
  FlightProducer extend(FlightProducer files, ServedDatasets datasets, BufferAllocator allocator) throws IOException;
}
