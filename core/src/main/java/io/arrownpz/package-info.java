/**
 * The front door: {@link io.arrownpz.NumpyTables} reads any NPY file, NPZ archive (plain, packed, frame)
 * or NPY directory into an Arrow table, writes one back, and describes a file from its headers
 * ({@link io.arrownpz.FileInfo} and its records). Options ({@link io.arrownpz.ReadOptions},
 * {@link io.arrownpz.WriteOptions}) and errors ({@link io.arrownpz.BadFileException} for any input problem,
 * {@link io.arrownpz.UnsupportedFileException} for valid files that cannot go where asked,
 * {@link io.arrownpz.UnsupportedDataException} for columns of a table in memory) live here too.
 */
package io.arrownpz;
