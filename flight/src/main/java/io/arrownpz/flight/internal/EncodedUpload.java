package io.arrownpz.flight.internal;

import java.io.IOException;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * An upload of a file with dictionary columns, kept encoded, as DoGet sends them. Arrow Java's put sends
 * the dictionaries once, when it starts: the first batch is read before that (file readers load
 * dictionaries with it), and a dictionary that changes later (a Parquet row group's own, a stream's
 * replacement) is sent again before the batch that uses it.
 */
public final class EncodedUpload {
  private EncodedUpload() {}

  /**
   * Whether {@code reader}'s batches can go encoded: this Arrow lets a replacement be sent, and every
   * dictionary is there to start with (a file without batches may have none to send).
   */
  public static boolean possible(ArrowReader reader) throws IOException {
    if (!UploadDictionaries.available()) {
      return false;
    }
    reader.getVectorSchemaRoot();
    return !reader.getDictionaryIds().isEmpty();
  }

  /**
   * Sends every batch of {@code reader} (whose first batch is not yet loaded).
   *
   * @return the rows sent
   */
  public static long send(FlightClient client, FlightDescriptor descriptor, ArrowReader reader, CallOption... options)
      throws IOException, InterruptedException {
    VectorSchemaRoot batch = reader.getVectorSchemaRoot();
    boolean more = reader.loadNextBatch();
    SyncPutListener ack = new SyncPutListener();
    FlightClient.ClientStreamListener upload = client.startPut(descriptor, batch, reader, ack, options);
    long rows = 0;
    boolean finished = false;
    try (DictionaryReplacements replacements = new DictionaryReplacements(reader, UploadDictionaries.of(upload))) {
      while (more) {
        upload.putNext();
        rows += batch.getRowCount();
        more = reader.loadNextBatch();
        if (more) {
          replacements.sendChanged();
        }
      }
      upload.completed();
      finished = true;
      upload.getResult();
    } catch (RuntimeException | IOException e) {
      if (!finished) {
        try {
          upload.error(e); // the server drops what it received: nothing is left behind
        } catch (RuntimeException second) {
          e.addSuppressed(second);
        }
      }
      throw e;
    } finally {
      ack.close();
    }
    return rows;
  }
}
