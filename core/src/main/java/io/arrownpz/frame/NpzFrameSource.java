package io.arrownpz.frame;

import io.arrownpz.internal.memory.Region;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.zip.ZipEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/** A frame written by {@code Frame.to_npz}: members of an NPZ archive. */
public final class NpzFrameSource implements FrameSource {
  private final NpzArchive npz;
  private final boolean owned;

  public NpzFrameSource(NpzArchive npz) {
    this(npz, false);
  }

  private NpzFrameSource(NpzArchive npz, boolean owned) {
    this.npz = npz;
    this.owned = owned;
  }

  public static NpzFrameSource open(Path path) throws IOException {
    return owning(NpzArchive.open(path));
  }

  /** A source that takes over {@code npz} and closes it when it is closed. */
  public static NpzFrameSource owning(NpzArchive npz) {
    return new NpzFrameSource(npz, true);
  }

  @Override
  public String name() {
    return npz.name();
  }

  @Override
  public boolean has(String member) {
    return npz.zip().entry(member) != null;
  }

  @Override
  public NpyArray array(String member, BufferAllocator allocator) throws IOException {
    return npz.array(npz.entry(member), allocator);
  }

  @Override
  public io.arrownpz.npy.NpyHeader header(String member) throws IOException {
    return npz.header(npz.entry(member));
  }

  @Override
  public byte[] bytes(String member, BufferAllocator allocator) throws IOException {
    ZipEntry entry = npz.entry(member);
    if (entry.isStored() && entry.size() <= SMALL_MEMBER) {
      // Read with its local header in one go: the member's page is never touched through the mapping.
      ByteBuffer prefix = npz.zip().prefix(entry, (int) entry.size());
      if (prefix.remaining() == entry.size()) {
        byte[] out = new byte[prefix.remaining()];
        prefix.get(prefix.position(), out);
        return out;
      }
    }
    try (Region region = io.arrownpz.internal.npy.Internals.archives().open(npz.zip(), entry, allocator)) {
      byte[] out = new byte[Math.toIntExact(region.length())];
      region.view(0, out.length).get(out);
      return out;
    }
  }

  /** Members up to this size (a frame's JSON) are read whole with their local header. */
  private static final int SMALL_MEMBER = 64 << 10;

  @Override
  public void close() throws IOException {
    if (owned) {
      npz.close();
    }
  }
}
