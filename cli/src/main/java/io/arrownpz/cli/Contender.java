package io.arrownpz.cli;

import io.arrownpz.ReadOptions;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.cache.ReadCache;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.npz.NpzLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A format in the head-to-head: how a table is written in it and opened again, through the bridge. */
enum Contender {
  NPZ("npz", FileFormat.NPZ, IpcCompression.NONE, ".npz"),
  NPY_DIR("npy-dir", FileFormat.NPY_DIR, IpcCompression.NONE, ".npydir"),
  FEATHER("feather", FileFormat.FEATHER, IpcCompression.NONE, ".feather"),
  FEATHER_LZ4("feather-lz4", FileFormat.FEATHER, IpcCompression.LZ4, ".lz4.feather"),
  FEATHER_ZSTD("feather-zstd", FileFormat.FEATHER, IpcCompression.ZSTD, ".zstd.feather"),
  ARROWS("arrows", FileFormat.IPC_STREAM, IpcCompression.NONE, ".arrows"),
  PARQUET("parquet", FileFormat.PARQUET, IpcCompression.NONE, ".parquet");

  /** What demo and compare measure unless told otherwise (the stream format is a Feather twin). */
  static final List<Contender> DEFAULTS = List.of(NPZ, NPY_DIR, FEATHER, FEATHER_LZ4, FEATHER_ZSTD, PARQUET);

  final String label;
  private final FileFormat format;
  private final IpcCompression compression;
  private final String extension;

  Contender(String label, FileFormat format, IpcCompression compression, String extension) {
    this.label = label;
    this.format = format;
    this.compression = compression;
    this.extension = extension;
  }

  Path file(Path dir, String stem) {
    return dir.resolve(stem + extension);
  }

  /** Writes the table; a frame (a table with an index) becomes a StaticFrame NPZ or NPY directory. */
  void write(Converter converter, VectorSchemaRoot table, Path path, ConvertOptions options) throws IOException {
    ConvertOptions these = options.withIpc(compression);
    if (this == NPZ && !options.write().frame().indexFields().isEmpty()) {
      these = these.withLayout(NpzLayout.FRAME);
    }
    converter.write(table, path, format, these);
  }

  /** Opens the file as a table, as lazily as the format allows (mapped formats are not touched). */
  /** The file as a table, its mapping taken from and kept in {@code cache} where the format maps. */
  VectorSchemaRoot open(Converter converter, Path path, ReadCache cache) throws IOException {
    return converter.read(path, format, ConvertOptions.DEFAULTS.withRead(ReadOptions.DEFAULTS.withCache(cache)));
  }

  static Contender named(String label) {
    for (Contender c : values()) {
      if (c.label.equals(label.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown format '" + label + "' (known: " + labels(List.of(values())) + ")");
  }

  static String labels(List<Contender> contenders) {
    return contenders.stream().map(c -> c.label).collect(Collectors.joining(", "));
  }

  static List<Contender> all() {
    return Arrays.asList(values());
  }
}
