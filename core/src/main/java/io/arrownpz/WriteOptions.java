package io.arrownpz;

import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.npz.NpzWriteOptions;

/**
 * How {@link NumpyTables#write} writes a table.
 *
 * @param format what to write, or null for what the path's name says ({@code .npy}, {@code .npz}; an
 *     existing directory is an NPY directory)
 * @param column for {@code .npy}: the column to write; null when the table has exactly one
 * @param layout for NPZ: frame, plain or packed; null for what the table is (a frame when it came from one,
 *     packed when it has list columns, plain otherwise)
 * @param npz compression and alignment of NPZ members (alignment applies to frames in NPZ too)
 * @param frame block layout and index fields of frames (NPZ with the frame layout, NPY directories)
 * @param nearestDtype write Arrow types NumPy cannot hold exactly (time zones, times of day, date64,
 *     dictionaries, fixed-size binaries and lists) as their nearest dtype; false refuses them by column
 * @param nullsToFloat write int and bool columns with nulls as float64 with NaN where no mask can go
 *     (a single {@code .npy}, frames) or where asked to (plain NPZ, which otherwise writes masks)
 */
public record WriteOptions(NumpyFormat format, String column, NpzLayout layout, NpzWriteOptions npz,
    FrameWriteOptions frame, boolean nearestDtype, boolean nullsToFloat) {
  public static final WriteOptions DEFAULTS = new WriteOptions(null, null, null, NpzWriteOptions.DEFAULTS,
      FrameWriteOptions.DEFAULTS, false, false);

  public WriteOptions withFormat(NumpyFormat value) {
    return new WriteOptions(value, column, layout, npz, frame, nearestDtype, nullsToFloat);
  }

  public WriteOptions withColumn(String value) {
    return new WriteOptions(format, value, layout, npz, frame, nearestDtype, nullsToFloat);
  }

  public WriteOptions withLayout(NpzLayout value) {
    return new WriteOptions(format, column, value, npz, frame, nearestDtype, nullsToFloat);
  }

  public WriteOptions withNpz(NpzWriteOptions value) {
    return new WriteOptions(format, column, layout, value, frame, nearestDtype, nullsToFloat);
  }

  public WriteOptions withFrame(FrameWriteOptions value) {
    return new WriteOptions(format, column, layout, npz, value, nearestDtype, nullsToFloat);
  }

  public WriteOptions withNearestDtype(boolean value) {
    return new WriteOptions(format, column, layout, npz, frame, value, nullsToFloat);
  }

  public WriteOptions withNullsToFloat(boolean value) {
    return new WriteOptions(format, column, layout, npz, frame, nearestDtype, value);
  }
}
