package io.arrownpz.bridge.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

/**
 * The buffers of a dictionary as last looked at, held (retained), so that their memory cannot be freed
 * and given to another dictionary meanwhile. A dictionary that still has exactly these buffers (same
 * memory, same sizes, same value count) holds the same values: Arrow's readers load a new dictionary into
 * new buffers and never write into loaded ones. That spares comparing a large dictionary value by value
 * on every batch of a file whose dictionaries do not change. The holder closes it.
 */
public final class HeldDictionary implements AutoCloseable {
  private List<ArrowBuf> held = List.of();
  private int valueCount = -1;

  /** Whether {@code values} has exactly the buffers held. */
  public boolean unchanged(FieldVector values) {
    ArrowBuf[] now = values.getBuffers(false);
    if (values.getValueCount() != valueCount || now.length != held.size()) {
      return false;
    }
    for (int i = 0; i < now.length; i++) {
      ArrowBuf was = held.get(i);
      if (now[i].memoryAddress() != was.memoryAddress() || now[i].capacity() != was.capacity()) {
        return false;
      }
    }
    return true;
  }

  /** Holds the buffers {@code values} has now, letting go of those held before. */
  public void hold(FieldVector values) {
    List<ArrowBuf> next = new ArrayList<>();
    for (ArrowBuf b : values.getBuffers(false)) {
      b.getReferenceManager().retain();
      next.add(b);
    }
    close();
    held = next;
    valueCount = values.getValueCount();
  }

  @Override
  public void close() {
    held.forEach(b -> b.getReferenceManager().release());
    held = List.of();
    valueCount = -1;
  }
}
