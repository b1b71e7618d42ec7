package io.arrownpz.internal.arrow;

import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A frame read window by window from its source, which it owns: each window maps its members again
 * (views cost no copy) and transposes only its own rows of C-order blocks.
 */
public final class FrameWindows implements WindowReader.Windows {
  private final FrameSource source;
  private final FrameReader reader;
  private final long rows;

  public FrameWindows(FrameSource source, FrameReader reader) throws IOException {
    this.source = source;
    this.reader = reader;
    this.rows = reader.rows(source);
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public VectorSchemaRoot read(long from, int count) throws IOException {
    return reader.read(source, from, count);
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
