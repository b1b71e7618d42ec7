package io.arrownpz.flight.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.bridge.dataset.Nullability;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A coordinator over data nodes (ordinary servers): it holds no data, and answers where the data is. On
 * every listing or description it asks each node, in parallel and with a time limit, which files it
 * holds; a dataset's description has one endpoint per file, located at every node that holds that file
 * (a client that cannot reach the first tries the next). A folder is a dataset when its files share one
 * schema, whichever nodes hold them; a Hive-partitioned folder ({@code key=value} folders) is one as the
 * nodes holding its files describe it, each endpoint read with its node's ticket. Nodes that did not
 * answer are named in the description's application metadata ({@code {"down": [{"node": ..., "error": ...}]}}), and a file that only they
 * hold fails the call with UNAVAILABLE naming them, rather than a silently partial answer.
 */
public final class CoordinatorProducer extends NoOpFlightProducer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<URI, FlightClient> clients = new LinkedHashMap<>();
  private final CallOption[] auth;
  /** How long a node may take to say what it holds. */
  private final java.time.Duration nodeTimeout;

  /**
   * What the nodes hold: each file's description (as a node gave it) and the nodes holding it; and each
   * Hive-partitioned dataset's descriptions, one per node that holds files of it (their tickets name the
   * dataset, so that the node adds the columns the folders' names give).
   */
  private record Holdings(Map<String, FlightInfo> files, Map<String, List<Location>> where,
      Map<String, Map<URI, FlightInfo>> partitioned, Map<URI, String> down) {}

  /**
   * @param trustedCertificate what to trust for {@code grpc+tls://} nodes, or null for the system's trust store
   * @param nodeTimeout how long a node may take to say what it holds before it is reported down
   */
  public CoordinatorProducer(List<URI> nodes, String token, Path trustedCertificate, java.time.Duration nodeTimeout,
      BufferAllocator allocator) throws IOException {
    this.nodeTimeout = nodeTimeout;
    try {
      for (URI node : nodes) {
        clients.put(node, Clients.connect(new Location(node), trustedCertificate, allocator));
      }
    } catch (IOException | RuntimeException e) {
      try {
        close(); // the clients made so far
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
    auth = Clients.auth(token);
  }

  private Holdings holdings() {
    return holdings(Criteria.ALL);
  }

  /**
   * What the nodes hold of the dataset {@code name} and everything under it: each node describes only that
   * (a node describing all it holds read every file's footer it had not read yet, for one dataset's answer).
   */
  private Holdings holdings(String name) {
    String literal = globLiteral(name);
    return holdings(new Criteria(("{" + literal + "," + literal + "/**}").getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code name} as a glob that matches only itself: glob's own characters escaped with a backslash. */
  private static String globLiteral(String name) {
    StringBuilder literal = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      if ("\\*?[]{},".indexOf(c) >= 0) {
        literal.append('\\');
      }
      literal.append(c);
    }
    return literal.toString();
  }

  private Holdings holdings(Criteria criteria) {
    Map<URI, CompletableFuture<List<FlightInfo>>> asked = new LinkedHashMap<>();
    clients.forEach((node, client) -> asked.put(node, CompletableFuture.supplyAsync(() -> {
      List<FlightInfo> infos = new ArrayList<>();
      client.listFlights(criteria, with(CallOptions.timeout(nodeTimeout.toMillis(), TimeUnit.MILLISECONDS)))
          .forEach(infos::add);
      return infos;
    })));
    Map<String, FlightInfo> files = new TreeMap<>();
    Map<String, List<Location>> where = new TreeMap<>();
    Map<String, Map<URI, FlightInfo>> partitioned = new TreeMap<>();
    Map<URI, String> down = new LinkedHashMap<>();
    asked.forEach((node, answer) -> {
      try {
        for (FlightInfo info : answer.get(nodeTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
          String name = String.join("/", info.getDescriptor().getPath());
          if (isFile(info, name)) {
            files.putIfAbsent(name, info);
            where.computeIfAbsent(name, n -> new ArrayList<>()).add(new Location(node));
          } else if (isPartitioned(info)) {
            partitioned.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(node, info);
          }
        }
      } catch (Exception e) {
        down.put(node, Calls.oneLine(e.getCause() != null ? e.getCause() : e));
      }
    });
    return new Holdings(files, where, partitioned, down);
  }

  /** A node's Hive-partitioned dataset: every endpoint's ticket names the dataset and the file, NUL between. */
  private static boolean isPartitioned(FlightInfo info) {
    return !info.getEndpoints().isEmpty() && info.getEndpoints().stream()
        .allMatch(e -> new String(e.getTicket().getBytes(), StandardCharsets.UTF_8).indexOf('\0') > 0);
  }

  /** A node lists files and folders; a file is the dataset whose one endpoint is itself. */
  private static boolean isFile(FlightInfo info, String name) {
    List<FlightEndpoint> endpoints = info.getEndpoints();
    return endpoints.size() == 1
        && name.equals(new String(endpoints.get(0).getTicket().getBytes(), StandardCharsets.UTF_8));
  }

  private CallOption[] with(CallOption option) {
    CallOption[] all = java.util.Arrays.copyOf(auth, auth.length + 1);
    all[auth.length] = option;
    return all;
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    String name = DatasetNames.of(descriptor);
    String dataset = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    Holdings holdings = holdings(dataset);
    List<String> files = new ArrayList<>();
    for (String file : holdings.files().keySet()) {
      if (file.equals(dataset) || (file.startsWith(dataset + "/") && file.indexOf('/', dataset.length() + 1) < 0)) {
        files.add(file);
      }
    }
    if (files.isEmpty() && holdings.partitioned().containsKey(dataset)) {
      return describePartitioned(dataset, holdings, descriptor);
    }
    if (files.isEmpty()) {
      throw (holdings.down().isEmpty() ? CallStatus.NOT_FOUND : CallStatus.UNAVAILABLE)
          .withDescription(dataset + ": on none of the nodes that answered" + downText(holdings)).toRuntimeException();
    }
    return describe(dataset, files, holdings, descriptor);
  }

  /**
   * A file, or a folder of files, as the nodes holding them describe them: one endpoint per file, at every
   * node that holds it. Files that differ only in whether columns are declared nullable make a dataset
   * whose columns all are; those of them that declare a column without nulls are then read through a
   * ticket naming the folder too, so that the node sends them as the dataset's.
   */
  private FlightInfo describe(String dataset, List<String> files, Holdings holdings, FlightDescriptor descriptor) {
    Schema schema = null;
    long records = 0;
    long bytes = 0;
    for (String file : files) {
      FlightInfo info = holdings.files().get(file);
      schema = schema == null ? info.getSchema() : Nullability.merged(schema, info.getSchema());
      if (schema == null) {
        throw CallStatus.INVALID_ARGUMENT.withDescription(dataset + ": partitions differ in schema ("
            + files.get(0) + " and " + file + ")").toRuntimeException();
      }
      records += info.getRecords();
      bytes += info.getBytes();
    }
    List<FlightEndpoint> endpoints = new ArrayList<>();
    for (String file : files) {
      boolean asPart = !holdings.files().get(file).getSchema().getFields().equals(schema.getFields());
      Ticket ticket = asPart ? DatasetNames.ticket(dataset, file) : DatasetNames.ticket(file);
      endpoints.add(new FlightEndpoint(ticket, holdings.where().get(file).toArray(new Location[0])));
    }
    return FlightInfo.builder(schema, descriptor, endpoints).setRecords(records).setBytes(bytes).setOrdered(true)
        .setAppMetadata(notes(holdings)).build();
  }

  /**
   * A Hive-partitioned dataset as the nodes holding its files describe it: one endpoint per file, at every
   * node that holds it, with the node's own ticket. Nodes whose files differ only in whether columns are
   * declared nullable make a dataset whose columns all are; its tickets are then marked for the nodes to
   * send its parts that way ({@link DatasetNames#asNullable}). Its rows and bytes are
   * the files' (each counted once, however many nodes hold it), where the nodes listed them all; else
   * unknown (-1).
   */
  private FlightInfo describePartitioned(String dataset, Holdings holdings, FlightDescriptor descriptor) {
    Schema schema = null;
    URI first = null;
    Map<URI, FlightInfo> nodes = holdings.partitioned().get(dataset);
    for (Map.Entry<URI, FlightInfo> held : nodes.entrySet()) {
      if (schema == null) {
        first = held.getKey();
        schema = held.getValue().getSchema();
      } else {
        schema = Nullability.merged(schema, held.getValue().getSchema());
        if (schema == null) {
          // Each node works out its keys' types from the folders it holds: "7" alone is an integer.
          throw CallStatus.INVALID_ARGUMENT.withDescription(dataset + ": nodes describe it with different "
              + "schemas (" + first + " and " + held.getKey() + ")").toRuntimeException();
        }
      }
    }
    // Every ticket is marked where some node describes the dataset otherwise, so that a file held by two
    // nodes stays one endpoint (a node whose files already have every column nullable sends them as they are).
    List<Field> fields = schema.getFields();
    boolean relabel = nodes.values().stream().anyMatch(info -> !info.getSchema().getFields().equals(fields));
    Map<String, List<Location>> tickets = new TreeMap<>();
    for (Map.Entry<URI, FlightInfo> held : nodes.entrySet()) {
      for (FlightEndpoint endpoint : held.getValue().getEndpoints()) {
        Ticket ticket = relabel ? DatasetNames.asNullable(endpoint.getTicket()) : endpoint.getTicket();
        tickets.computeIfAbsent(new String(ticket.getBytes(), StandardCharsets.UTF_8),
            t -> new ArrayList<>()).add(new Location(held.getKey()));
      }
    }
    long records = 0;
    long bytes = 0;
    List<FlightEndpoint> endpoints = new ArrayList<>();
    for (Map.Entry<String, List<Location>> ticket : tickets.entrySet()) {
      List<String> names = DatasetNames.namesOf(new Ticket(ticket.getKey().getBytes(StandardCharsets.UTF_8)));
      FlightInfo file = holdings.files().get(names.get(names.size() - 1));
      records = file == null || records < 0 ? -1 : records + file.getRecords();
      bytes = file == null || bytes < 0 ? -1 : bytes + file.getBytes();
      endpoints.add(new FlightEndpoint(new Ticket(ticket.getKey().getBytes(StandardCharsets.UTF_8)),
          ticket.getValue().toArray(new Location[0])));
    }
    return FlightInfo.builder(schema, descriptor, endpoints).setRecords(records).setBytes(bytes).setOrdered(true)
        .setAppMetadata(notes(holdings)).build();
  }

  private static byte[] notes(Holdings holdings) {
    ObjectNode notes = JSON.createObjectNode();
    ArrayNode down = notes.putArray("down");
    holdings.down().forEach((node, error) -> down.addObject().put("node", node.toString()).put("error", error));
    return notes.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String downText(Holdings holdings) {
    if (holdings.down().isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("; not answering:");
    holdings.down().forEach((node, error) -> text.append(' ').append(node).append(" (").append(error).append(')'));
    return text.toString();
  }

  @Override
  public SchemaResult getSchema(CallContext context, FlightDescriptor descriptor) {
    return new SchemaResult(getFlightInfo(context, descriptor).getSchema());
  }

  @Override
  public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    try {
      byte[] expression = criteria.getExpression();
      String glob = expression == null ? "" : new String(expression, StandardCharsets.UTF_8);
      java.util.function.Predicate<String> matcher = glob.isEmpty() ? null : Globs.matcher(glob);
      Holdings holdings = holdings();
      Map<String, List<String>> datasets = new TreeMap<>();
      for (String file : holdings.files().keySet()) {
        datasets.computeIfAbsent(file, f -> new ArrayList<>()).add(file);
        int slash = file.lastIndexOf('/');
        if (slash > 0) {
          datasets.computeIfAbsent(file.substring(0, slash), f -> new ArrayList<>()).add(file);
        }
      }
      datasets.forEach((name, files) -> {
        if (matcher == null || matcher.test(name)) {
          try {
            listener.onNext(describe(name, files, holdings, FlightDescriptor.path(name.split("/"))));
          } catch (RuntimeException differentSchemas) {
            // a folder whose files disagree is not a dataset; its files are listed
          }
        }
      });
      for (String name : holdings.partitioned().keySet()) {
        if (!datasets.containsKey(name) && (matcher == null || matcher.test(name))) {
          try {
            listener.onNext(describePartitioned(name, holdings, FlightDescriptor.path(name.split("/"))));
          } catch (RuntimeException differentSchemas) {
            // listed by its files
          }
        }
      }
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(Calls.failure("listing", e));
    }
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    listener.error(CallStatus.INVALID_ARGUMENT.withDescription("a coordinator holds no data: read each endpoint "
        + "at the locations its description gives").toRuntimeException());
  }

  @Override
  public void close() throws InterruptedException {
    for (FlightClient client : clients.values()) {
      client.close();
    }
  }
}
