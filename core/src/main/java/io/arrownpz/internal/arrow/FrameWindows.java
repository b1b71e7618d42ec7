package io.arrownpz.internal.arrow;

import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A frame read window by window from its source, which it owns: the frame is opened once (members
 * mapped, labels and metadata read once), and each window transposes only its own rows of C-order blocks.
 */
public final class FrameWindows implements WindowReader.Windows {
  private final FrameSource source;
  private final FrameReader.OpenFrame frame;

  public FrameWindows(FrameSource source, FrameReader reader) throws IOException {
    this.source = source;
    this.frame = reader.open(source);
  }

  @Override
  public long rows() {
    return frame.rows();
  }

  @Override
  public Schema schema() throws IOException {
    return frame.schema();
  }

  @Override
  public VectorSchemaRoot read(long from, int count) throws IOException {
    return frame.read(from, count);
  }

  @Override
  public void close() throws IOException {
    try (FrameSource s = source) {
      frame.close();
    }
  }
}
