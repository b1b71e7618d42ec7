package io.arrownpz.bridge;

import io.arrownpz.ReadOptions;
import io.arrownpz.WriteOptions;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.ipc.IpcOptions;
import io.arrownpz.bridge.parquet.ParquetCompression;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.npz.NpzWriteOptions;

/**
 * Choices for a conversion, by layer: how NumPy files are read and written (core's options), and how
 * Feather and IPC stream buffers and Parquet pages are compressed (the bridge's).
 *
 * @param read NumPy inputs: the NPZ member to read alone, how arrays become vectors
 * @param write NumPy outputs: column, NPZ layout and compression, frame blocks, nearest dtypes, nulls
 * @param ipc buffer compression for Feather and IPC stream output, and the codec factory that reads and
 *     writes compressed buffers
 * @param parquet how Parquet output's pages are compressed (Snappy by default, as pyarrow and pandas do)
 */
public record ConvertOptions(ReadOptions read, WriteOptions write, IpcOptions ipc, ParquetCompression parquet) {
  public static final ConvertOptions DEFAULTS = new ConvertOptions(ReadOptions.DEFAULTS, WriteOptions.DEFAULTS,
      IpcOptions.DEFAULTS, ParquetCompression.SNAPPY);

  public ConvertOptions withRead(ReadOptions value) {
    return new ConvertOptions(value, write, ipc, parquet);
  }

  public ConvertOptions withWrite(WriteOptions value) {
    return new ConvertOptions(read, value, ipc, parquet);
  }

  public ConvertOptions withIpc(IpcOptions value) {
    return new ConvertOptions(read, write, value, parquet);
  }

  public ConvertOptions withParquet(ParquetCompression value) {
    return new ConvertOptions(read, write, ipc, value);
  }

  public ConvertOptions withIpc(IpcCompression value) {
    return withIpc(ipc.withCompression(value));
  }

  /** The codec factory for compressed Feather and IPC streams, read and written. */
  public ConvertOptions withCodecs(org.apache.arrow.vector.compression.CompressionCodec.Factory value) {
    return withIpc(ipc.withCodecs(value));
  }

  public ConvertOptions withMember(String value) {
    return withRead(read.withMember(value));
  }

  public ConvertOptions withColumn(String value) {
    return withWrite(write.withColumn(value));
  }

  public ConvertOptions withNpz(NpzWriteOptions value) {
    return withWrite(write.withNpz(value));
  }

  public ConvertOptions withLayout(NpzLayout value) {
    return withWrite(write.withLayout(value));
  }

  public ConvertOptions withFrame(FrameWriteOptions value) {
    return withWrite(write.withFrame(value));
  }

  public ConvertOptions withNearestDtype(boolean value) {
    return withWrite(write.withNearestDtype(value));
  }

  public ConvertOptions withNullsToFloat(boolean value) {
    return withWrite(write.withNullsToFloat(value));
  }
}
