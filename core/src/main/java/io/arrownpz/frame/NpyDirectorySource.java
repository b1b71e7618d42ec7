package io.arrownpz.frame;

import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.internal.npy.HeaderCache;
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
import io.arrownpz.internal.io.FileState;
import io.arrownpz.internal.io.OpenDirectory;
import io.arrownpz.internal.memory.KeptMappings;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
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
   * member is first opened (a frame whose files are all kept opens none).
   */
  private SecureDirectoryStream<Path> held;
  private boolean heldTried;
  private boolean closed;

  /**
   * Members from which on {@link #willOpen} takes the states of kept files in parallel: below it, handing
   * the calls to another thread costs about what it saves.
   */
  static final int STATES_AHEAD_FROM = 256;
  /** The directory, held open for taking its kept files' states by name; opened when first needed. */
  private OpenDirectory open;
  /** States of kept members' files taken by {@link #willOpen}, for the opens that follow; null for none. */
  private StatesAhead statesAhead;

  public NpyDirectorySource(Path dir) throws IOException {
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

  /**
   * Takes the states of the members' files that are kept (mapped or copied) all at once, on every core: the
   * one {@code statx} a kept file's open costs is most of opening a directory of thousands of them again
   * (10,000 files: 2.6 us each, of 3.8). A state taken here and used a moment later by the member's open
   * stands for the file as it was then, as an open at that moment would have.
   */
  @Override
  public void willOpen(List<String> members) {
    StatesAhead ahead = null;
    if (members.size() >= STATES_AHEAD_FROM) {
      ahead = new StatesAhead(members);
      ahead.take(dir, openDirectory());
    }
    synchronized (this) {
      statesAhead = ahead;
    }
  }

  /** The directory held open for taking states by name; null once the source is closed. */
  private synchronized OpenDirectory openDirectory() {
    if (open == null && !closed) {
      open = OpenDirectory.open(dir);
    }
    return open;
  }

  @Override
  public NpyArray array(String member, BufferAllocator allocator) throws IOException {
    Path file = SafeNames.resolveInside(dir, member);
    FileState stateNow;
    synchronized (this) {
      stateNow = statesAhead == null ? null : statesAhead.next(member);
    }
    if (stateNow == null && KeptMappings.SHARED.holdsPath(file)) {
      OpenDirectory directory = openDirectory();
      stateNow = directory != null ? directory.current(member) : FileState.current(file);
    }
    // A file kept mapped or copied, and unchanged: no open, no read.
    NpyArray kept = NpyFile.openKept(file, headers, stateNow);
    if (kept != null) {
      return kept;
    }
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
          return NpyFile.open(file, channel, headers, allocator, NpyVectorReader::convertsWhole);
        }
      }
      opened.close();
    }
    return NpyFile.open(file, headers, allocator, NpyVectorReader::convertsWhole);
  }

  @Override
  public io.arrownpz.npy.NpyHeader header(String member) throws IOException {
    Path file = SafeNames.resolveInside(dir, member);
    requireRegularFile(file, member);
    return NpyFile.readHeader(file);
  }

  /**
   * Refuses a member that is a pipe, socket or device (a file kept is known regular and skips this): opening
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

  public HeaderCache headers() {
    return headers;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    heldTried = true; // nothing is held open afterwards
    if (open != null) {
      open.close();
      open = null;
    }
    if (held != null) {
      held.close();
      held = null;
    }
  }

  /**
   * The states of members' files that are kept (mapped or copied), taken all at once, handed to the opens
   * that follow in the order the members were given; a member opened out of that order gets none.
   */
  private static final class StatesAhead {
    private final List<String> members;
    private final FileState[] states;
    private int next;

    /** @param members as {@link #willOpen} was given them, not changed by the caller meanwhile */
    StatesAhead(List<String> members) {
      this.members = members;
      this.states = new FileState[members.size()];
    }

    /**
     * Takes the states, on every core, by name in {@code open} (or by whole paths where it is null); a file
     * nothing is kept for gets none (it is opened anyway).
     */
    void take(Path dir, OpenDirectory open) {
      // One question for the directory, not one a file: where anything of it is kept, every member's state
      // is taken (a file not kept then costs a statx for nothing, far less than looking each one up).
      if (!KeptMappings.SHARED.holdsAnyIn(dir.toAbsolutePath().normalize())) {
        return;
      }
      IntStream.range(0, members.size()).parallel().forEach(i -> {
        String member = members.get(i);
        if (open != null && member.indexOf('/') < 0) {
          states[i] = open.current(member); // a plain name, in the directory held open
          return;
        }
        try {
          states[i] = FileState.current(SafeNames.resolveInside(dir, member));
        } catch (IllegalArgumentException e) {
          // its open reports it
        }
      });
    }

    /** The state taken for {@code member}, if it is the next one given; else null. */
    FileState next(String member) {
      if (next < members.size() && members.get(next).equals(member)) {
        return states[next++];
      }
      return null;
    }
  }
}
