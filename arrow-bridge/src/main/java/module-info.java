/**
 * Feather (Arrow IPC files), Arrow IPC streams and Parquet, and conversions between them and NumPy's
 * files. Start from {@link io.arrownpz.bridge.Converter}; compressed IPC buffers go through
 * {@link io.arrownpz.bridge.compression.FastCompressionFactory}, which Arrow Java also finds as a service.
 */
module io.arrownpz.bridge {
  requires transitive io.arrownpz.core;
  requires transitive org.apache.arrow.c;
  requires static org.apache.arrow.dataset; // optional: Parquet only
  requires org.apache.arrow.format;
  requires com.sun.jna;
  requires com.github.luben.zstd_jni;
  requires org.lz4.java;
  requires org.xerial.snappy;

  exports io.arrownpz.bridge;
  exports io.arrownpz.bridge.compression;
  exports io.arrownpz.bridge.dataset;
  exports io.arrownpz.bridge.ipc;
  exports io.arrownpz.bridge.parquet;
  exports io.arrownpz.bridge.internal to io.arrownpz.cli, io.arrownpz.flight;

  opens io.arrownpz.bridge to com.fasterxml.jackson.databind;
  opens io.arrownpz.bridge.parquet to com.sun.jna; // JNA calls the callbacks of AttachedExport

  provides org.apache.arrow.vector.compression.CompressionCodec.Factory
      with io.arrownpz.bridge.compression.FastCompressionFactory;
}
