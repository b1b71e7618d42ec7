package io.arrownpz;

/**
 * What {@link NumpyTables#describe} learns about a file from its headers alone: no values are read.
 * Each kind of file has its own record ({@link NpyInfo}, {@link NpzInfo}, {@link NpyDirectoryInfo}; the
 * bridge adds one for Arrow and Parquet files).
 */
public interface FileInfo {
  /** The file (or directory) as it was named. */
  String file();

  /** The format's short name: {@code npy}, {@code npz}, {@code npy-dir}, ... */
  String format();

  /** Bytes on disk (for a directory, of all its files). */
  long bytes();
}
