package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import picocli.CommandLine.Option;

/**
 * How values NumPy cannot hold exactly are written, wherever a command writes NumPy data (convert, get,
 * pack, unpack, compare).
 */
final class NumpyValueOptions {
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
    return options.withNullsToFloat(nullsToFloat).withNearestDtype(nearestDtype);
  }
}
