package io.arrownpz.npy;

/**
 * How much memory this process gives to the Fortran-order copies of C-order blocks kept for the next read
 * of the same bytes (StaticFrame stores a frame's columns of one dtype as one C-order block, and Arrow wants
 * each column contiguous). The default, 64 MiB, suits a command that reads a few frames; a server that sends
 * the same big frames again and again gives it more, so that each is transposed once. A copy larger than
 * half the bound is never kept. The memory is the process's own, outside every allocator, and is given
 * back as copies are let go and the vectors over them closed.
 */
public final class TransposedCopies {
  private TransposedCopies() {}

  /** Keeps copies of up to {@code bytes} in all (0: none); copies kept beyond it are let go now. */
  public static void keepUpTo(long bytes) {
    KeptTranspositions.SHARED.bound(bytes);
  }

  /** The bound in bytes now. */
  public static long bound() {
    return KeptTranspositions.SHARED.bound();
  }
}
