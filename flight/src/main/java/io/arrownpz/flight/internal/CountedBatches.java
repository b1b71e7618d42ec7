package io.arrownpz.flight.internal;

/** A batch reader that counts the rows it has given, for a client to say what it moved. */
public interface CountedBatches {
  long rowsRead();
}
