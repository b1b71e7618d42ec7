/**
 * NumPy's NPY and NPZ files and StaticFrame's frames as Apache Arrow tables. Start from
 * {@link io.arrownpz.NumpyTables}. Packages under {@code io.arrownpz.internal} are not API: they are
 * exported only to this project's own modules.
 */
module io.arrownpz.core {
  requires transitive org.apache.arrow.memory.core;
  requires transitive org.apache.arrow.vector;
  requires org.apache.arrow.algorithm;
  requires com.fasterxml.jackson.databind;
  requires com.sun.jna;

  exports io.arrownpz;
  exports io.arrownpz.arrow;
  exports io.arrownpz.cache;
  exports io.arrownpz.frame;
  exports io.arrownpz.input;
  exports io.arrownpz.npy;
  exports io.arrownpz.npz;
  exports io.arrownpz.pack;
  exports io.arrownpz.zip;

  exports io.arrownpz.internal.arrow to io.arrownpz.bridge, io.arrownpz.cli;
  exports io.arrownpz.internal.io to io.arrownpz.bridge, io.arrownpz.cli, io.arrownpz.flight;
  exports io.arrownpz.internal.memory to io.arrownpz.bridge;
  exports io.arrownpz.internal.npy to io.arrownpz.bridge;

  // The descriptions are records that front ends print as JSON; JNA binds the C library's mmap and statx by reflection.
  opens io.arrownpz to com.fasterxml.jackson.databind;
  opens io.arrownpz.internal.memory to com.sun.jna;
  opens io.arrownpz.internal.io to com.sun.jna;
}
