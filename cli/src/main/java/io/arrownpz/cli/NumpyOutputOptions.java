package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import picocli.CommandLine.Option;

/** The choices a NumPy output takes, the same wherever a command writes one (convert, get, pack, unpack). */
final class NumpyOutputOptions {
  @Option(names = "--column", paramLabel = "NAME", description = "For .npy output: the column to write.")
  String column;

  @Option(names = "--nulls-to-float", description = "For NumPy output (.npy, .npz, NPY directories): write int "
      + "and bool columns that have nulls as float64 with NaN (a plain .npz otherwise keeps nulls as NAME.__mask__ "
      + "members; .npy and frames refuse them).")
  boolean nullsToFloat;

  @Option(names = "--nearest-dtype", description = "For NumPy output (.npy, .npz, NPY directories): write "
      + "Arrow types NumPy has no exact form for as the nearest dtype (time-zone-aware timestamps as naive UTC "
      + "datetime64, times of day as timedelta64, date64 as datetime64[ms]) instead of refusing them.")
  boolean nearestDtype;

  /** {@code options} with these choices. */
  ConvertOptions applyTo(ConvertOptions options) {
    return options.withColumn(column).withNullsToFloat(nullsToFloat).withNearestDtype(nearestDtype);
  }
}
