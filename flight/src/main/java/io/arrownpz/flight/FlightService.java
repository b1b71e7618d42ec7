package io.arrownpz.flight;

import io.arrownpz.cache.ReadCache;
import io.arrownpz.flight.internal.Catalog;
import io.arrownpz.flight.internal.CatalogDatasets;
import io.arrownpz.flight.internal.DatasetNames;
import io.arrownpz.flight.internal.DirectBatches;
import io.arrownpz.flight.internal.FileProducer;
import io.arrownpz.flight.internal.CoordinatorProducer;
import io.arrownpz.flight.internal.TokenAuthenticator;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A directory served over Arrow Flight: every file the bridge reads (NPY, NPZ plain, packed or frame,
 * NPY-directory frames, Feather, {@code .arrows}, Parquet) is a dataset named by its path relative to
 * the directory, and so is a folder of files with one schema (one endpoint per file). With
 * {@link ServeOptions#nodes()} the service is a coordinator: it answers each file's endpoint at the data
 * nodes that hold it.
 *
 * <p>Closing the service stops taking calls, lets those in flight finish (up to a grace period), and
 * frees everything.
 */
public final class FlightService implements AutoCloseable {
  /** How long {@link #close()} lets calls in flight finish. */
  private static final long GRACE_SECONDS = 30;
  /** How long {@link #close()} then waits for buffers still held by the network. */
  private static final long RELEASE_SECONDS = 5;
  /** Bytes queued for a connection's socket above which Netty stops taking more, and below which it resumes. */
  private static final int WRITE_HIGH = 8 << 20;
  private static final int WRITE_LOW = 4 << 20;

  private final FlightServer server;
  private final FlightProducer producer;
  private final BufferAllocator allocator;
  private final ExecutorService calls;
  private final URI location;
  /** The mappings of served files kept between calls: the service's own, closed with it. */
  private final ReadCache cache;

  private FlightService(FlightServer server, FlightProducer producer, BufferAllocator allocator,
      ExecutorService calls, URI location, ReadCache cache) {
    this.cache = cache;
    this.server = server;
    this.producer = producer;
    this.allocator = allocator;
    this.calls = calls;
    this.location = location;
  }

  /**
   * Serves {@code directory} with {@code options}, allocating from a child of {@code parent}.
   *
   * @throws IllegalArgumentException for an unsafe configuration (beyond loopback without a token, unless
   *     {@code insecure})
   * @throws IOException when the directory or the TLS files cannot be read, or the port cannot be bound
   */
  public static FlightService start(Path directory, ServeOptions options, BufferAllocator parent) throws IOException {
    return start(directory, options, parent, warning -> { });
  }

  /**
   * As {@link #start(Path, ServeOptions, BufferAllocator)}, telling {@code warnings} (one line each) what the
   * operator should know and no client asked: a file left out of a listing because it cannot be read,
   * once per file and reason.
   */
  public static FlightService start(Path directory, ServeOptions options, BufferAllocator parent,
      Consumer<String> warnings) throws IOException {
    return start(directory, options, parent, warnings, null);
  }

  /**
   * As {@link #start(Path, ServeOptions, BufferAllocator, Consumer)}, with more calls answered on the same
   * port by the producer {@code extension} makes over the service's own (null: none). A coordinator's
   * datasets are its nodes': it takes no extension.
   */
  public static FlightService start(Path directory, ServeOptions options, BufferAllocator parent,
      Consumer<String> warnings, ServiceExtension extension) throws IOException {
    if (extension != null && !options.nodes().isEmpty()) {
      throw new IllegalArgumentException("a coordinator (--node) serves its nodes' files, not calls beside them");
    }
    if (options.token() == null && !options.insecure() && !isLoopback(options.host())) {
      throw new IllegalArgumentException("serving on " + options.host() + " without a token would let anyone on "
          + "the network read and write " + directory + "; give a token file, or --insecure to do it anyway");
    }
    DatasetNames names = new DatasetNames(directory);
    BufferAllocator allocator = parent.newChildAllocator("flight " + directory, 0, Long.MAX_VALUE);
    ExecutorService calls = Executors.newCachedThreadPool(FlightService::callThread);
    ReadCache cache = ReadCache.builder().build();
    FlightProducer producer = null;
    try {
      Catalog catalog = new Catalog(names, allocator, cache);
      CallLimits limits = new CallLimits(new StreamSlots(options.maxStreams()), options.callMemory());
      producer = options.nodes().isEmpty()
          ? new FileProducer(catalog, allocator, limits, new FileProducer.Settings(options.readOnly(),
              options.batchRows()), warnings)
          : new CoordinatorProducer(options.nodes(), options.token(), options.nodeCertificate(),
              options.nodeTimeout(), allocator);
      if (extension != null) {
        producer = extension.extend(producer, new CatalogDatasets(catalog), limits, allocator);
      }
      boolean tls = options.tlsCertificate() != null;
      Location bind = tls ? Location.forGrpcTls(options.host(), options.port())
          : Location.forGrpcInsecure(options.host(), options.port());
      FlightProducer served = producer;
      FlightServer.Builder builder = FlightServer.builder(allocator, bind, served).executor(calls);
      builder.transportHint("grpc.builderConsumer", (Consumer<NettyServerBuilder>) netty -> {
        forThroughput(netty);
        netty.addService(DirectBatches.service(allocator, served, calls)); // in place of Flight's own
      });
      if (tls) {
        builder.useTls(options.tlsCertificate().toFile(), options.tlsKey().toFile());
      }
      if (options.token() != null) {
        builder.headerAuthenticator(new TokenAuthenticator(options.token()));
      }
      if (extension != null) {
        extension.middleware().forEach(middleware -> middleware.addTo(builder));
      }
      FlightServer server = builder.build();
      server.start();
      URI where = URI.create((tls ? "grpc+tls" : "grpc") + "://" + hostForUri(options.host()) + ":" + server.getPort());
      return new FlightService(server, served, allocator, calls, where, cache);
    } catch (IOException | RuntimeException e) {
      if (producer instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      cache.close();
      calls.shutdownNow();
      allocator.close();
      throw e;
    }
  }

  private static Thread callThread(Runnable call) {
    Thread thread = new Thread(call, "arrow-npz flight call");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Lets Netty queue a few megabytes per connection before it waits for the socket. gRPC's HTTP/2 flow
   * controller hands a connection only as many bytes as fit under the channel's write-buffer high-water
   * mark, 64 KiB by default: a large DoGet then went out one 64 KiB frame, one flush and one system call at
   * a time, about 250 MB/s here. The client's flow-control windows still bound what is in flight.
   */
  private static void forThroughput(NettyServerBuilder netty) {
    netty.withChildOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(WRITE_LOW, WRITE_HIGH));
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The port the service listens on (the one picked, when 0 was asked). */
  public int port() {
    return server.getPort();
  }

  /** Where clients reach the service, as {@code grpc://HOST:PORT} or {@code grpc+tls://HOST:PORT}. */
  public URI location() {
    return location;
  }

  /** Blocks until the service is closed (from another thread, or a shutdown hook). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Bytes the service holds right now: views of mapped files and buffers of calls in flight. */
  public long allocatedBytes() {
    return allocator.getAllocatedMemory();
  }

  @Override
  public void close() throws InterruptedException {
    boolean coordinator = producer instanceof CoordinatorProducer;
    if (coordinator) {
      closeProducer(); // its clients to the nodes first: answers waiting on a node end now, not after the grace
    }
    server.shutdown();
    server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
    server.close(); // ends at once whatever outlived the grace period
    awaitReleased();
    if (!coordinator) {
      closeProducer(); // after the wait: its reaper closes the calls' allocators as their buffers come back
    }
    calls.shutdownNow();
    cache.close();
    allocator.close();
  }

  /** What the service's cache of file mappings holds and has done (see {@link ReadCache}). */
  public ReadCache.Stats cacheStats() {
    return cache.stats();
  }

  /**
   * Waits, a bounded time, until the last gets' buffers are back: a DoGet's batches are still on their way
   * out through Netty when its call has ended (its allocator is closed once they are released), and closing
   * the service's allocator before then would name them as leaked.
   */
  private void awaitReleased() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RELEASE_SECONDS);
    while ((allocator.getAllocatedMemory() > 0 || !allocator.getChildAllocators().isEmpty())
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private void closeProducer() {
    if (producer instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // the coordinator's clients to its nodes: nothing of the caller's is lost if one fails to close
      }
    }
  }
}
