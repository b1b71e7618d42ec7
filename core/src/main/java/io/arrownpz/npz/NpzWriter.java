package io.arrownpz.npz;

import io.arrownpz.arrow.NpyOutput;
import io.arrownpz.arrow.NpyVectorWriter;
import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.zip.ZipArchive;
import io.arrownpz.zip.ZipWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;

/**
 * Writes an NPZ member by member, straight from Arrow buffers, through a temporary file that is renamed
 * into place by {@link #commit()}; closing without committing leaves nothing at the target.
 *
 * <p>Threads: one thread at a time; members are written in the order they are added.
 */
public final class NpzWriter implements AutoCloseable {
  private final AtomicFile file;
  private final ZipWriter zip;
  private final NpzWriteOptions options;
  private final java.util.Set<String> names = new java.util.HashSet<>();

  private NpzWriter(AtomicFile file, ZipWriter zip, NpzWriteOptions options) {
    this.file = file;
    this.zip = zip;
    this.options = options;
  }

  public static NpzWriter create(Path target, NpzWriteOptions options) throws IOException {
    AtomicFile file = AtomicFile.create(target);
    try {
      int alignment = options.deflate() ? 0 : options.alignment();
      return new NpzWriter(file, new ZipWriter(file.channel(), alignment, 6), options);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Adds a vector as member {@code key + ".npy"}; a refusal names the column {@code key}. */
  public void add(String key, FieldVector vector) throws IOException {
    add(key, NpyVectorWriter.of(vector, key));
  }

  public void add(String key, NpyOutput npy) throws IOException {
    String name = key + NpzArchive.NPY_SUFFIX;
    claim(name, key);
    if (options.deflate()) {
      zip.addDeflated(name, npy::writeTo);
    } else {
      zip.addStored(name, npy.totalBytes(), npy::writeTo);
    }
  }

  /** Adds a non-array member (such as a JSON description), always STORED. */
  public void addBytes(String name, byte[] bytes) throws IOException {
    claim(name, name);
    zip.addStored(name, bytes.length, out -> {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        out.write(b);
      }
    });
  }

  /**
   * Refuses a member name already written: a ZIP may hold two, but {@code np.load} returns the last for
   * both, so the first column would be lost without a word. (A column named like another's null mask,
   * {@code x.__mask__}, collides the same way.)
   */
  private void claim(String name, String column) {
    if (!names.add(name)) {
      throw new io.arrownpz.UnsupportedDataException(column, "a second member named '" + name + "'; an NPZ "
          + "needs unique names, or NumPy reads only one of them (rename the column)");
    }
  }

  /** Writes the central directory and renames the file into place. */
  public void commit() throws IOException {
    zip.finish();
    file.commit();
  }

  @Override
  public void close() throws IOException {
    try {
      zip.close();
    } finally {
      file.close();
    }
  }
}
