package io.arrownpz.bridge;

import io.arrownpz.npz.NpzWriteOptions;

/**
 * Choices for a conversion.
 *
 * @param column for NPY output from a table: the column to write (null: the table must have one)
 * @param member for NPZ input: read only this member, as a one-column table (null: the whole archive)
 * @param npz how to write NPZ output
 */
public record ConvertOptions(String column, String member, NpzWriteOptions npz) {
  public static final ConvertOptions DEFAULTS = new ConvertOptions(null, null, NpzWriteOptions.DEFAULTS);

  public ConvertOptions withColumn(String value) {
    return new ConvertOptions(value, member, npz);
  }

  public ConvertOptions withMember(String value) {
    return new ConvertOptions(column, value, npz);
  }

  public ConvertOptions withNpz(NpzWriteOptions value) {
    return new ConvertOptions(column, member, value);
  }
}
