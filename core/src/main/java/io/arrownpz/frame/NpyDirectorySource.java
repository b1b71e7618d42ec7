package io.arrownpz.frame;

import io.arrownpz.cache.ReadCache;
import io.arrownpz.internal.memory.FileMappings;
import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.internal.npy.Internals;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.internal.io.SafeNames;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A frame written by {@code Frame.to_npy}: the same members as plain files in one directory. Every array
 * starts at offset 0 of its file and its header pads to 64 bytes, so each is mapped 64-byte aligned.
 */
public final class NpyDirectorySource implements FrameSource {
  private final Path dir;
  private final HeaderCache headers = new HeaderCache();
  /**
   * The directory held open where the platform allows (Linux): members are opened relative to it, without
   * the kernel walking the whole path again for each of thousands of files. Null elsewhere, and until a
   * member is first opened.
   */
  private SecureDirectoryStream<Path> held;
  private boolean heldTried;

  private final FileMappings mappings;

  public NpyDirectorySource(Path dir) throws IOException {
    this(dir, FileMappings.FRESH);
  }

  /** A frame in {@code dir}, its members mapped through {@code cache} (owned by the caller; null keeps nothing). */
  public NpyDirectorySource(Path dir, ReadCache cache) throws IOException {
    this(dir, FileMappings.of(cache));
  }

  /**
   * A frame in {@code dir}, its members mapped through the cache of {@code options}, or read into memory
   * ({@link io.arrownpz.ReadOptions#memoryMap()}).
   */
  public NpyDirectorySource(Path dir, io.arrownpz.ReadOptions options) throws IOException {
    this(dir, FileMappings.of(options));
  }

  private NpyDirectorySource(Path dir, FileMappings mappings) throws IOException {
    this.mappings = mappings;
    if (!Files.isDirectory(dir)) {
      throw new BadFileException(dir, null, "not a directory");
    }
    this.dir = dir;
  }

  private synchronized SecureDirectoryStream<Path> held() {
    if (!heldTried) {
      heldTried = true;
      held = holdOpen(dir);
    }
    return held;
  }

  private static SecureDirectoryStream<Path> holdOpen(Path dir) {
    try {
      DirectoryStream<Path> stream = Files.newDirectoryStream(dir);
      if (stream instanceof SecureDirectoryStream<Path> secure) {
        return secure;
      }
      stream.close();
    } catch (IOException | RuntimeException e) {
      // members are then opened by their whole path
    }
    return null;
  }

  @Override
  public String name() {
    return dir.toString();
  }

  @Override
  public boolean has(String member) {
    return Files.isRegularFile(dir.resolve(member));
  }

  @Override
  public NpyArray array(String member, BufferAllocator allocator) throws IOException {
    Path file = SafeNames.resolveInside(dir, member);
    requireRegularFile(file, member);
    SecureDirectoryStream<Path> directory = member.indexOf('/') < 0 ? held() : null;
    if (directory != null) {
      SeekableByteChannel opened;
      try {
        opened = directory.newByteChannel(Path.of(member), Set.of(StandardOpenOption.READ));
      } catch (NoSuchFileException e) {
        throw new BadFileException(file, null, "no such file");
      }
      if (opened instanceof FileChannel channel) {
        try (channel) {
          return Internals.arrays().open(file, channel, headers, allocator, NpyVectorReader::convertsWhole, mappings);
        }
      }
      opened.close();
    }
    return Internals.arrays().open(file, headers, allocator, NpyVectorReader::convertsWhole, mappings);
  }

  @Override
  public io.arrownpz.npy.NpyHeader header(String member) throws IOException {
    Path file = SafeNames.resolveInside(dir, member);
    requireRegularFile(file, member);
    return NpyFile.readHeader(file);
  }

  /**
   * Refuses a member that is a pipe, socket or device: opening
   * a pipe waits for a writer, which would hang the read (and a server's call) without end.
   */
  private void requireRegularFile(Path file, String member) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new BadFileException(file, null, "no such file");
    }
    if (!attributes.isRegularFile()) {
      throw new BadFileException(dir.toString(), member, "not a regular file (a pipe, socket, device or directory)");
    }
  }

  @Override
  public byte[] bytes(String member, BufferAllocator allocator) throws IOException {
    Path file = SafeNames.resolveInside(dir, member);
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(dir.toString(), member, "missing");
    }
    return Files.readAllBytes(file);
  }

  @Override
  public synchronized void close() throws IOException {
    heldTried = true; // nothing is held open afterwards
    if (held != null) {
      held.close();
      held = null;
    }
  }
}
