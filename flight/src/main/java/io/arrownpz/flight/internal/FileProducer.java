package io.arrownpz.flight.internal;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.Nullability;
import io.arrownpz.flight.CallLimits;
import io.arrownpz.flight.StreamSlots;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The Flight calls over a served directory: list, describe and get its datasets, put new ones, and pack
 * event tables. Every call that moves data takes a stream slot and a child allocator with a limit, and
 * gives both back however it ends.
 */
public final class FileProducer implements FlightProducer, AutoCloseable {
  private final Catalog catalog;
  private final BufferAllocator allocator;
  private final CallLimits limits;
  private final Settings settings;
  private final CallAllocators allocators = new CallAllocators();
  private final java.util.function.Consumer<String> warnings;
  /** The files and reasons warned of already. */
  private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param readOnly refuse uploads and actions that write
   * @param batchRows rows per batch sent
   */
  public record Settings(boolean readOnly, int batchRows) {}

  /**
   * @param limits what each call that moves data takes: a stream slot, and its memory beyond views of files
   * @param warnings told, once per file and reason, of a file left out of a listing
   */
  public FileProducer(Catalog catalog, BufferAllocator allocator, CallLimits limits, Settings settings,
      java.util.function.Consumer<String> warnings) {
    this.catalog = catalog;
    this.allocator = allocator;
    this.limits = limits;
    this.settings = settings;
    this.warnings = warnings;
  }

  @Override
  public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    try {
      byte[] expression = criteria.getExpression();
      String glob = expression == null ? "" : new String(expression, StandardCharsets.UTF_8);
      for (Dataset dataset : catalog.list(glob)) {
        try {
          listener.onNext(info(dataset, FlightDescriptor.path(dataset.name().split("/"))));
        } catch (RuntimeException unreadable) {
          // Left out of the listing (asking for it says why); the operator hears of it once.
          String reason = Calls.oneLine(unreadable);
          if (warned.add(dataset.name() + "\0" + reason)) {
            warnings.accept("not listed: " + reason);
          }
        }
      }
      listener.onCompleted();
    } catch (IOException | RuntimeException e) {
      listener.onError(Calls.failure("listing", e));
    }
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    String name = DatasetNames.of(descriptor);
    try {
      return info(catalog.find(name), descriptor);
    } catch (RuntimeException e) {
      throw Calls.failure(name, e);
    }
  }

  @Override
  public SchemaResult getSchema(CallContext context, FlightDescriptor descriptor) {
    String name = DatasetNames.of(descriptor);
    try {
      return new SchemaResult(catalog.describe(catalog.find(name)).schema());
    } catch (RuntimeException e) {
      throw Calls.failure(name, e);
    }
  }

  private FlightInfo info(Dataset dataset, FlightDescriptor descriptor) {
    Catalog.Described described = catalog.describeWithParts(dataset);
    Description d = described.whole();
    List<FlightEndpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < dataset.parts().size(); i++) {
      // No location: the client reads it from this server, on the connection it has. A part is read as the
      // dataset's where its columns differ from the file's own: the keys of its folders, or nullability.
      Dataset.Part part = dataset.parts().get(i);
      boolean asPart = dataset.isPartitioned() || dataset.isFolder() && described.differs(i);
      endpoints.add(new FlightEndpoint(asPart ? DatasetNames.ticket(dataset.name(), part.name())
          : DatasetNames.ticket(part.name())));
    }
    return FlightInfo.builder(d.schema(), descriptor, endpoints).setRecords(d.records()).setBytes(d.bytes())
        .setOrdered(true).build();
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    List<String> names;
    try {
      names = DatasetNames.namesOf(ticket);
    } catch (RuntimeException e) {
      listener.error(e);
      return;
    }
    String name = names.get(names.size() - 1);
    BufferAllocator call = null;
    try (StreamSlots.Slot slot = limits.streams().take()) {
      call = allocator.newChildAllocator("get " + name, 0, Long.MAX_VALUE);
      Dataset.Part part = names.size() == 1 ? onlyPart(catalog.find(name)) : catalog.partOf(names.get(0), name);
      // Views of the file's mapping count against the limit; its size on disk bounds them without reading it.
      call.setLimit(Trees.size(part.path()) + limits.callMemory());
      // A part is sent with every column nullable where a coordinator marked its ticket so (the dataset spread
      // over nodes whose files differ in that), or where this service's own description of the dataset says so.
      boolean nullable = names.size() > 1
          && (DatasetNames.readsAsNullable(ticket) || nullableAsPart(names.get(0), part));
      send(part, nullable, call, listener, slot);
    } catch (Exception e) {
      listener.error(Calls.failure(name, e));
    } finally {
      if (call != null) {
        allocators.closeWhenReleased(call); // gRPC may still hold the buffers it was given
      }
    }
  }

  private static Dataset.Part onlyPart(Dataset dataset) {
    if (dataset.isFolder()) {
      throw CallStatus.INVALID_ARGUMENT.withDescription(dataset.name() + ": a folder dataset is read through its "
          + "endpoints, one ticket per file").toRuntimeException();
    }
    return dataset.parts().get(0);
  }

  /**
   * Whether a part read as a part of {@code dataset} has its columns declared nullable: always for a plain
   * folder's (its ticket names the folder only for that; a coordinator, which saw the folder's files on all
   * its nodes, asks it of a node that may hold only some), and for a Hive-partitioned dataset's where the
   * dataset as this service describes it has no column declared without nulls. (A part that declares none
   * either is sent as it is: {@link Nullability#allNullable(ArrowReader, BufferAllocator)} leaves it.)
   */
  private boolean nullableAsPart(String dataset, Dataset.Part part) {
    return catalog.nullableAsPart(dataset, part);
  }

  private void send(Dataset.Part part, boolean nullable, BufferAllocator call, ServerStreamListener listener,
      StreamSlots.Slot slot) throws IOException {
    BatchSender sender = new BatchSender(listener, settings.batchRows());
    try (ArrowReader reader = catalog.openPart(part, nullable, call, sender.batchRows())) {
      sender.sendAll(reader);
      slot.close();
      sender.completed();
    }
  }

  @Override
  public Runnable acceptPut(CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
    return () -> {
      String name = "upload";
      try (StreamSlots.Slot slot = limits.streams().take();
          BufferAllocator call = allocator.newChildAllocator("put", 0, limits.callMemory())) {
        name = DatasetNames.of(stream.getDescriptor());
        if (settings.readOnly()) {
          throw CallStatus.UNAUTHORIZED.withDescription("this service is read-only").toRuntimeException();
        }
        Path target = catalog.names().target(name);
        FileFormat format = name.endsWith("/") ? FileFormat.NPY_DIR : FileFormat.ofPath(target);
        if (format == null) {
          throw CallStatus.INVALID_ARGUMENT.withDescription(name + ": the name's extension says no format to "
              + "write (.npy, .npz, .feather, .arrows, .parquet, or a trailing / for an NPY directory)")
              .toRuntimeException();
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw CallStatus.ALREADY_EXISTS.withDescription(name + ": exists already").toRuntimeException();
        }
        try (FlightStreamReader upload = new FlightStreamReader(stream, call)) {
          // The bridge's writers replace the target only once it is complete.
          new Converter(call).write(upload, target, format, ConvertOptions.DEFAULTS);
        }
        slot.close();
        ackStream.onCompleted();
      } catch (Exception e) {
        ackStream.onError(Calls.failure(name, e));
      }
    };
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    try {
      if (!PackAction.TYPE.getType().equals(action.getType())) {
        throw CallStatus.UNIMPLEMENTED.withDescription("no action '" + action.getType() + "'; ListActions "
            + "names those there are").toRuntimeException();
      }
      if (settings.readOnly()) {
        throw CallStatus.UNAUTHORIZED.withDescription("this service is read-only").toRuntimeException();
      }
      try (StreamSlots.Slot slot = limits.streams().take();
          BufferAllocator call = allocator.newChildAllocator("pack", 0, Long.MAX_VALUE)) {
        listener.onNext(new PackAction(catalog, call, limits.callMemory()).run(action.getBody()));
      }
      listener.onCompleted();
    } catch (Exception e) {
      listener.onError(Calls.failure(action.getType(), e));
    }
  }

  @Override
  public void listActions(CallContext context, StreamListener<ActionType> listener) {
    listener.onNext(PackAction.TYPE);
    listener.onCompleted();
  }

  @Override
  public void close() {
    allocators.close();
  }
}
