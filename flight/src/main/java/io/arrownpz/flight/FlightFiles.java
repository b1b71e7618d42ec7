package io.arrownpz.flight;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.FolderDataset;
import io.arrownpz.bridge.internal.Tables;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.flight.internal.Clients;
import io.arrownpz.flight.internal.EncodedUpload;
import io.arrownpz.flight.internal.EndpointFetch;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Files to and from a Flight service, addressed as {@code grpc://HOST:PORT/PATH} (or {@code grpc+tls://}):
 * {@link #get} reads a dataset's endpoints in parallel (trying each endpoint's next location when one
 * fails) and writes them, in order, as one file of any format; {@link #put} uploads a file of any format.
 */
public final class FlightFiles {
  /** Rows per batch uploaded from a NumPy file, which is one table however long. */
  private static final int PUT_BATCH_ROWS = 65_536;

  private FlightFiles() {}

  /** What a get or put moved. */
  public record Transfer(long rows, int endpoints) {}

  /**
   * Reads the dataset at {@code address} and writes it to {@code output} as {@code format}, replacing the
   * output only once it is complete.
   */
  public static Transfer get(URI address, Path output, FileFormat format, ClientOptions options,
      BufferAllocator allocator) throws IOException {
    return get(address, output, format, options, ConvertOptions.DEFAULTS, allocator);
  }

  /**
   * As {@link #get(URI, Path, FileFormat, ClientOptions, BufferAllocator)}, writing the output with
   * {@code writing}'s options (for NumPy outputs: nulls as NaN, the nearest dtype, the column of an {@code .npy}).
   */
  public static Transfer get(URI address, Path output, FileFormat format, ClientOptions options,
      ConvertOptions writing, BufferAllocator allocator) throws IOException {
    Location server = serverOf(address);
    try (FlightClient client = Clients.connect(server, options.trustedCertificate(), allocator)) {
      FlightInfo info = client.getInfo(FlightDescriptor.path(pathOf(address)), Clients.auth(options.token()));
      EndpointFetch.Access access = new EndpointFetch.Access(client, options.trustedCertificate(),
          Clients.auth(options.token()), options.parallelism());
      try (EndpointFetch fetch = EndpointFetch.open(info, access, allocator)) {
        new Converter(allocator).write(fetch.reader(), output, format, writing);
        return new Transfer(fetch.rowsRead(), info.getEndpoints().size());
      } catch (UnsupportedDataException e) {
        // Valid data the output cannot hold: named by the dataset, as convert names its input.
        UnsupportedFileException refusal = new UnsupportedFileException(address.toString(), "cannot be written as "
            + format.formatName() + ": " + e.getMessage(), e);
        refusal.withRemedy(e.remedy());
        throw refusal;
      } catch (ParquetFiles.ParquetWriteException e) {
        throw new UnsupportedFileException(address.toString(), e.getMessage(), e);
      }
    } catch (FlightRuntimeException e) {
      throw new IOException(address + ": " + e.status().code() + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(address + ": interrupted", e);
    }
  }

  /**
   * Uploads {@code input} (any format the bridge reads, or a folder of files read whole: {@link FolderDataset})
   * as the dataset at {@code address}.
   */
  public static Transfer put(Path input, FileFormat format, URI address, ClientOptions options,
      BufferAllocator allocator) throws IOException {
    Location server = serverOf(address);
    FlightDescriptor descriptor = FlightDescriptor.path(pathOf(address));
    Converter converter = new Converter(allocator);
    // A folder of files (or Hive partitions) goes up as one table, as convert writes one into a file.
    FolderDataset folder = format == FileFormat.NPY_DIR && FolderDataset.isFolder(input) ? FolderDataset.of(input) : null;
    try (FlightClient client = Clients.connect(server, options.trustedCertificate(), allocator)) {
      long rows = 0;
      if (folder != null || format.isBatched()) {
        try (ArrowReader reader = folder != null ? folder.openReader(allocator) : converter.openReader(input, format)) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          if (Tables.hasDictionary(batch.getSchema().getFields())) {
            long sent = EncodedUpload.possible(reader)
                ? EncodedUpload.send(client, descriptor, reader, Clients.auth(options.token()))
                : putDecoded(client, descriptor, reader, options, allocator);
            return new Transfer(sent, 1);
          }
          SyncPutListener ack = new SyncPutListener();
          FlightClient.ClientStreamListener upload = client.startPut(descriptor, batch, reader, ack,
              Clients.auth(options.token()));
          while (reader.loadNextBatch()) {
            upload.putNext();
            rows += batch.getRowCount();
          }
          upload.completed();
          upload.getResult();
          ack.close();
        }
      } else {
        try (VectorSchemaRoot table = converter.read(input, format, ConvertOptions.DEFAULTS);
            VectorSchemaRoot outgoing = VectorSchemaRoot.create(table.getSchema(), allocator)) {
          SyncPutListener ack = new SyncPutListener();
          FlightClient.ClientStreamListener upload = client.startPut(descriptor, outgoing, ack,
              Clients.auth(options.token()));
          VectorLoader loader = new VectorLoader(outgoing);
          for (int from = 0; from < table.getRowCount(); from += PUT_BATCH_ROWS) {
            int n = Math.min(PUT_BATCH_ROWS, table.getRowCount() - from);
            try (VectorSchemaRoot part = table.slice(from, n);
                ArrowRecordBatch b = new VectorUnloader(part).getRecordBatch()) {
              loader.load(b);
            }
            upload.putNext();
          }
          rows = table.getRowCount();
          upload.completed();
          upload.getResult();
          ack.close();
        }
      }
      return new Transfer(rows, 1);
    } catch (FlightRuntimeException e) {
      throw new IOException(address + ": " + e.status().code() + ": " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(address + ": interrupted", e);
    }
  }

  /**
   * Uploads a reader's batches with their dictionary columns decoded, as values: for a file whose
   * dictionaries cannot be sent as they are (none before its first batch, or an Arrow whose put gives no
   * way to send a replacement; see {@link EncodedUpload}).
   *
   * @return the rows sent
   */
  private static long putDecoded(FlightClient client, FlightDescriptor descriptor, ArrowReader reader,
      ClientOptions options, BufferAllocator allocator) throws IOException, InterruptedException {
    VectorSchemaRoot batch = reader.getVectorSchemaRoot();
    // The dictionaries are known once a batch is read: the first one, decoded, gives the schema to send.
    VectorSchemaRoot pending = reader.loadNextBatch() ? Tables.take(batch, allocator, reader) : null;
    Schema decoded = pending != null ? pending.getSchema() : decodedSchema(batch.getSchema(), reader);
    long rows = 0;
    try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(decoded, allocator)) {
      SyncPutListener ack = new SyncPutListener();
      FlightClient.ClientStreamListener upload = client.startPut(descriptor, outgoing, ack,
          Clients.auth(options.token()));
      VectorLoader loader = new VectorLoader(outgoing);
      while (pending != null) {
        try (VectorSchemaRoot values = pending; ArrowRecordBatch b = new VectorUnloader(values).getRecordBatch()) {
          pending = null;
          loader.load(b);
        }
        upload.putNext();
        rows += outgoing.getRowCount();
        pending = reader.loadNextBatch() ? Tables.take(batch, allocator, reader) : null;
      }
      upload.completed();
      upload.getResult();
      ack.close();
    } finally {
      if (pending != null) {
        pending.close();
      }
    }
    return rows;
  }

  /** A schema's fields as {@link Tables#take} decodes them, with the reader's (empty) dictionaries' types. */
  private static Schema decodedSchema(Schema encoded, ArrowReader reader) {
    List<Field> fields = new ArrayList<>();
    for (Field field : encoded.getFields()) {
      fields.add(Tables.decodedField(field, reader));
    }
    return new Schema(fields, encoded.getCustomMetadata());
  }

  /**
   * What the call's failure says, and beneath it the transport's when gRPC says only "io exception": a
   * server that is not there reads "io exception (... Connection refused: /127.0.0.1:8815)".
   */
  private static String reason(FlightRuntimeException e) {
    String said = e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String beneath = root == e ? null : root.getMessage();
    return beneath == null || said.contains(beneath) ? said : said + " (" + beneath + ")";
  }

  private static Location serverOf(URI address) {
    String scheme = address.getScheme();
    if (!"grpc".equals(scheme) && !"grpc+tcp".equals(scheme) && !"grpc+tls".equals(scheme)) {
      throw new IllegalArgumentException(address + ": not a Flight address (grpc://HOST:PORT/PATH or grpc+tls://...)");
    }
    if (address.getHost() == null || address.getPort() < 0) {
      throw new IllegalArgumentException(address + ": give the host and port (grpc://HOST:PORT/PATH)");
    }
    return new Location(URI.create(scheme + "://" + address.getRawAuthority()));
  }

  private static String[] pathOf(URI address) {
    String path = address.getPath() == null ? "" : address.getPath();
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(address + ": name a dataset after the port (grpc://HOST:PORT/PATH)");
    }
    return new String[] {path};
  }
}
