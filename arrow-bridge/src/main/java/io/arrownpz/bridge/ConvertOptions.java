package io.arrownpz.bridge;

import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.npz.NpzWriteOptions;

/**
 * Choices for a conversion.
 *
 * @param column for NPY output from a table: the column to write (null: the table must have one)
 * @param member for NPZ input: read only this member, as a one-column table (null: the whole archive)
 * @param npz how to write NPZ output
 * @param layout for NPZ output: frame, plain or packed (null: a frame when the table came from one,
 *     packed when it has list columns, plain otherwise)
 * @param frame how to write frames (NPZ with the frame layout, NPY directories)
 * @param ipc buffer compression for Feather and IPC stream output
 * @param nearestDtype for NumPy output (NPY, NPZ, NPY directories): write Arrow types NumPy has no exact
 *     form for as their nearest dtype (time-zone-aware timestamps as naive UTC datetime64, times of day
 *     as timedelta64, date64 as datetime64[ms]); false refuses such columns, naming them
 */
public record ConvertOptions(String column, String member, NpzWriteOptions npz, NpzLayout layout,
    FrameWriteOptions frame, IpcCompression ipc, boolean nearestDtype) {
  public static final ConvertOptions DEFAULTS = new ConvertOptions(null, null, NpzWriteOptions.DEFAULTS, null,
      FrameWriteOptions.DEFAULTS, IpcCompression.NONE, false);

  public ConvertOptions(String column, String member, NpzWriteOptions npz, NpzLayout layout,
      FrameWriteOptions frame, IpcCompression ipc) {
    this(column, member, npz, layout, frame, ipc, false);
  }

  public ConvertOptions withNearestDtype(boolean value) {
    return new ConvertOptions(column, member, npz, layout, frame, ipc, value);
  }

  public ConvertOptions withColumn(String value) {
    return new ConvertOptions(value, member, npz, layout, frame, ipc, nearestDtype);
  }

  public ConvertOptions withMember(String value) {
    return new ConvertOptions(column, value, npz, layout, frame, ipc, nearestDtype);
  }

  public ConvertOptions withNpz(NpzWriteOptions value) {
    return new ConvertOptions(column, member, value, layout, frame, ipc, nearestDtype);
  }

  public ConvertOptions withLayout(NpzLayout value) {
    return new ConvertOptions(column, member, npz, value, frame, ipc, nearestDtype);
  }

  public ConvertOptions withFrame(FrameWriteOptions value) {
    return new ConvertOptions(column, member, npz, layout, value, ipc, nearestDtype);
  }

  public ConvertOptions withIpc(IpcCompression value) {
    return new ConvertOptions(column, member, npz, layout, frame, value, nearestDtype);
  }
}
