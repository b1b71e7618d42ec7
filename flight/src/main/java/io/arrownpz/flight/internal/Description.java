package io.arrownpz.flight.internal;

import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a file holds, as Flight announces it: the schema in IPC form (dictionary fields with their value
 * types), every metadata key kept; its rows; its bytes on disk.
 */
public record Description(Schema schema, long records, long bytes) {}
