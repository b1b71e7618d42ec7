package io.arrownpz.frame;

import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.internal.io.SafeNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A frame written by {@code Frame.to_npy}: the same members as plain files in one directory. Every array
 * starts at offset 0 of its file and its header pads to 64 bytes, so each is mapped 64-byte aligned.
 */
public final class NpyDirectorySource implements FrameSource {
  private final Path dir;
  private final HeaderCache headers = new HeaderCache();

  public NpyDirectorySource(Path dir) throws BadFileException {
    if (!Files.isDirectory(dir)) {
      throw new BadFileException(dir, null, "not a directory");
    }
    this.dir = dir;
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
    return NpyFile.open(SafeNames.resolveInside(dir, member), headers, allocator, NpyVectorReader::convertsWhole);
  }

  @Override
  public io.arrownpz.npy.NpyHeader header(String member) throws IOException {
    return NpyFile.readHeader(SafeNames.resolveInside(dir, member));
  }

  @Override
  public byte[] bytes(String member, BufferAllocator allocator) throws IOException {
    Path file = SafeNames.resolveInside(dir, member);
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(dir.toString(), member, "missing");
    }
    return Files.readAllBytes(file);
  }

  public HeaderCache headers() {
    return headers;
  }

  @Override
  public void close() {}
}
