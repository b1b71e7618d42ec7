package io.arrownpz.flight;

import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The datasets a {@link FlightService} serves, each read whole (a folder's files one after another), for
 * what a {@link ServiceExtension} answers beside them: the names and schemas its listing gives, and their
 * batches, read only when asked for.
 */
public interface ServedDatasets {
  /** The datasets' names (paths relative to the served directory), in name order. */
  List<String> names() throws IOException;

  /** A dataset's schema, as the service describes it; an exception naming it when there is no such dataset. */
  Schema schema(String name) throws IOException;

  /**
   * The bytes of a dataset's files on disk, which bound the views of them a read of it holds (views of a
   * mapping count against their allocator's limit, as its buffers do).
   */
  long sizeOnDisk(String name) throws IOException;

  /**
   * A dataset's batches of at most {@code batchRows} rows, with its partition columns and its parts'
   * columns declared as {@link #schema} says; files are mapped, not copied, where the layout allows (a
   * batch is then a view, whatever its size). The caller closes the reader.
   */
  ArrowReader open(String name, BufferAllocator allocator, int batchRows) throws IOException;
}
