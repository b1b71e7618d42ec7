package io.arrownpz.flight.internal;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A batch of a DoGet answer, taken out of its stream, with the dictionaries its encoded columns index
 * (shared with the stream's other batches that had the same ones; null when it has none).
 */
public record FetchedBatch(VectorSchemaRoot table, DictionarySnapshot dictionaries) {}
