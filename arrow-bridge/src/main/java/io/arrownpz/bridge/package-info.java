/**
 * Conversions between NumPy files, Feather, Arrow IPC streams and Parquet ({@link io.arrownpz.bridge.Converter},
 * {@link io.arrownpz.bridge.DirectoryConverter}), descriptions of Arrow files, and Arrow C streams for
 * in-process engines ({@link io.arrownpz.bridge.CStreams}).
 */
package io.arrownpz.bridge;
