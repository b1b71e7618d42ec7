package io.arrownpz.internal.npy;

import io.arrownpz.internal.memory.FileMappings;
import io.arrownpz.internal.memory.Region;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyHeader;
import io.arrownpz.zip.ZipArchive;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What the packages of core use of each other's internals (an array's memory, an archive member's bytes),
 * without it being API: each owning class hands over an implementation when it is initialized, as the
 * JDK's own packages share theirs. Not for use outside this project.
 */
public final class Internals {
  private Internals() {}

  /** What {@link NpyArray} and {@link io.arrownpz.npy.NpyFile} offer the other packages. */
  public interface Arrays {
    /** An archive member's array over {@code region}, which it takes over. */
    NpyArray array(String archive, String member, NpyHeader header, Region region, long dataStart);

    /** The memory an array's data lies in. */
    Region region(NpyArray array);

    /** A file of an NPY directory, opened through {@code channel} (see NpyFile's package-private open). */
    NpyArray open(Path path, FileChannel channel, HeaderCache headers, BufferAllocator allocator,
        Predicate<NpyHeader> readWhole, FileMappings mappings) throws IOException;

    /** A file of an NPY directory, opened by its path. */
    NpyArray open(Path path, HeaderCache headers, BufferAllocator allocator, Predicate<NpyHeader> readWhole,
        FileMappings mappings) throws IOException;
  }

  /** What {@link ZipArchive} offers the other packages. */
  public interface Archives {
    /** A member's uncompressed bytes: a view of the file when STORED, inflated memory when DEFLATED. */
    Region open(ZipArchive zip, ZipEntry entry, BufferAllocator allocator) throws IOException;

    /** A STORED member's bytes in place, its data offset already read. */
    Region stored(ZipArchive zip, ZipEntry entry, long dataOffset) throws IOException;
  }

  private static volatile Arrays arrays;
  private static volatile Archives archives;

  public static void grant(Arrays value) {
    if (arrays != null) {
      throw new IllegalStateException("already granted");
    }
    arrays = value;
  }

  public static void grant(Archives value) {
    if (archives != null) {
      throw new IllegalStateException("already granted");
    }
    archives = value;
  }

  public static Arrays arrays() {
    if (arrays == null) {
      initialize(NpyArray.class);
    }
    return arrays;
  }

  public static Archives archives() {
    if (archives == null) {
      initialize(ZipArchive.class);
    }
    return archives;
  }

  private static void initialize(Class<?> owner) {
    try {
      Class.forName(owner.getName(), true, owner.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
