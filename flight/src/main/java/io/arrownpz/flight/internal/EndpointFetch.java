package io.arrownpz.flight.internal;

import io.arrownpz.bridge.dataset.ChainedReader;
import io.arrownpz.internal.io.Trees;
import io.arrownpz.bridge.ipc.IpcOptions;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A dataset's endpoints as one batch reader, in endpoint order, holding a batch or so per endpoint in
 * memory whatever the dataset's size. One endpoint at one location is read straight from its stream.
 * Several, or one held at several locations, are fetched {@code parallelism} at a time, each written to a
 * temporary IPC stream file as its batches arrive (so no server waits on a client busy writing another
 * endpoint, and a location failing mid-stream is retried at the next), then read back in order; the files
 * are deleted when the fetch is closed. Each endpoint is read from the first of its locations that answers
 * (this client's server when it names none).
 */
public final class EndpointFetch implements AutoCloseable {
  /** How a fetch reaches servers: the client of the server asked, and how to reach others. */
  public record Access(FlightClient here, Path trustedCertificate, CallOption[] auth, int parallelism) {}

  private final List<AutoCloseable> held = new ArrayList<>();
  private Path spool;
  private ArrowReader reader;

  private EndpointFetch() {}

  /** Opens {@code info}'s endpoints; the caller closes the fetch once the reader has been read. */
  public static EndpointFetch open(FlightInfo info, Access access, BufferAllocator allocator)
      throws IOException, InterruptedException {
    EndpointFetch fetch = new EndpointFetch();
    try {
      List<FlightEndpoint> endpoints = info.getEndpoints();
      // A file on several nodes is spooled, so that a node failing mid-stream is retried at the next.
      if (endpoints.size() == 1 && endpoints.get(0).getLocations().size() <= 1) {
        fetch.reader = fetch.stream(endpoints.get(0), access, allocator);
      } else {
        fetch.reader = new ChainedReader(fetch.spoolAll(endpoints, access, allocator), info.getSchema(), allocator);
      }
      fetch.held.add(fetch.reader);
      return fetch;
    } catch (IOException | InterruptedException | RuntimeException e) {
      fetch.close();
      throw e;
    }
  }

  /** Every endpoint's batches, in order. */
  public ArrowReader reader() {
    return reader;
  }

  /** The rows the reader has given so far. */
  public long rowsRead() {
    return reader instanceof ChainedReader chained ? chained.rowsRead() : ((CountedBatches) reader).rowsRead();
  }

  /** The stream of an endpoint held at one location (or at this client's server, when it names none). */
  private FlightStreamReader stream(FlightEndpoint endpoint, Access access, BufferAllocator allocator) throws IOException {
    Location location = locations(endpoint).get(0);
    FlightClient client = location == null ? access.here() : Clients.connect(location, access.trustedCertificate(), allocator);
    if (client != access.here()) {
      held.add(client);
    }
    try {
      FlightStream stream = client.getStream(endpoint.getTicket(), access.auth());
      held.add(stream);
      stream.getRoot(); // the schema arrives, or the location fails here
      return new FlightStreamReader(stream, allocator);
    } catch (FlightRuntimeException e) {
      throw unserved(endpoint, e);
    }
  }

  /** Fetches every endpoint to a file of its own, {@code parallelism} at a time; the files, to open in order. */
  private List<ChainedReader.Part> spoolAll(List<FlightEndpoint> endpoints, Access access, BufferAllocator allocator)
      throws IOException, InterruptedException {
    spool = Files.createTempDirectory("arrow-npz-get-");
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(access.parallelism(), endpoints.size())));
    try {
      List<Future<Path>> fetches = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i++) {
        FlightEndpoint endpoint = endpoints.get(i);
        Path file = spool.resolve(i + ".arrows");
        fetches.add(pool.submit(() -> spoolOne(endpoint, file, access, allocator)));
      }
      List<ChainedReader.Part> parts = new ArrayList<>();
      for (Future<Path> fetch : fetches) {
        Path file = await(fetch);
        parts.add(() -> IpcStreamFiles.openReader(file, allocator));
      }
      return parts;
    } finally {
      // After a failure the other fetches are stopped, and waited for: the spool is deleted next, and
      // their memory is the caller's allocator's.
      stop(pool);
    }
  }

  /** Stops the fetches still running and waits for them (not past 30 s), keeping the failure being reported. */
  private static void stop(ExecutorService pool) {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One endpoint written to {@code file}, from the first location that serves it whole. */
  private static Path spoolOne(FlightEndpoint endpoint, Path file, Access access, BufferAllocator allocator)
      throws IOException {
    FlightRuntimeException last = null;
    for (Location location : locations(endpoint)) {
      FlightClient client = location == null ? access.here() : Clients.connect(location, access.trustedCertificate(), allocator);
      try (FlightStream stream = client.getStream(endpoint.getTicket(), access.auth());
          FlightStreamReader batches = new FlightStreamReader(stream, allocator)) {
        IpcStreamFiles.write(batches, file, IpcOptions.DEFAULTS); // a file that fails midway is not left
        return file;
      } catch (FlightRuntimeException e) {
        last = e;
      } catch (Exception e) {
        throw e instanceof IOException io ? io : new IOException(ticketName(endpoint) + ": " + e.getMessage(), e);
      } finally {
        if (client != access.here()) {
          closeQuietly(client);
        }
      }
    }
    throw unserved(endpoint, last);
  }

  private static Path await(Future<Path> fetch) throws IOException, InterruptedException {
    try {
      return fetch.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FlightRuntimeException flight) {
        throw flight;
      }
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }
  }

  /** The endpoint's locations; a single null for "this client's server" when it names none. */
  private static List<Location> locations(FlightEndpoint endpoint) {
    List<Location> locations = endpoint.getLocations();
    return locations.isEmpty() ? java.util.Collections.singletonList(null) : locations;
  }

  /** The failure of an endpoint no location served: this client's server's own error when it names none. */
  private static IOException unserved(FlightEndpoint endpoint, FlightRuntimeException last) {
    if (endpoint.getLocations().isEmpty()) {
      throw last;
    }
    return new IOException(ticketName(endpoint) + ": no location could serve it (last: " + last.getMessage() + ")",
        last);
  }

  static String ticketName(FlightEndpoint endpoint) {
    return new String(endpoint.getTicket().getBytes(), StandardCharsets.UTF_8);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing after a failure: the failure is what is reported
    }
  }

  /** Closes the reader, the streams and clients it read from, and deletes the spooled files. */
  @Override
  public void close() {
    for (int i = held.size() - 1; i >= 0; i--) {
      closeQuietly(held.get(i));
    }
    held.clear();
    if (spool != null) {
      try {
        Trees.delete(spool);
      } catch (IOException e) {
        // a temporary directory: left to the system's cleaning
      }
      spool = null;
    }
  }
}
