package io.arrownpz.bridge.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A reader over another's batches, shown in a root of its own (the same vectors, other fields or more
 * columns) or in the source's: dictionaries, bytes read and closing are the source's. The source's dictionaries are reloaded
 * there as it reads, so they are asked of it each time.
 */
public abstract class WrappingReader extends ArrowReader {
  protected final ArrowReader source;

  /** @param source an opened reader, taken over (closed by this one) */
  protected WrappingReader(ArrowReader source, BufferAllocator allocator) {
    super(allocator);
    this.source = source;
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return source.getDictionaryIds();
  }

  @Override
  public Dictionary lookup(long id) {
    return source.lookup(id);
  }

  @Override
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return source.getDictionaryVectors();
  }

  @Override
  public long bytesRead() {
    return source.bytesRead();
  }

  /** The source's vectors are its own to close: its root is never this one's. */
  @Override
  public void close(boolean closeReadSource) throws IOException {
    closeReadSource();
  }

  @Override
  protected void closeReadSource() throws IOException {
    source.close();
  }
}
