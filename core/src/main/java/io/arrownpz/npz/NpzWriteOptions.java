package io.arrownpz.npz;

/**
 * How to write an NPZ.
 *
 * @param deflate compress members (as {@code np.savez_compressed}); STORED otherwise (as {@code np.savez})
 * @param alignment 0, or 64 (any power of two) to start each STORED member's array data on a multiple of
 *     it, so that zero-copy vectors over the file are aligned
 */
public record NpzWriteOptions(boolean deflate, int alignment) {
  public static final NpzWriteOptions DEFAULTS = new NpzWriteOptions(false, 0);

  public NpzWriteOptions withDeflate(boolean value) {
    return new NpzWriteOptions(value, alignment);
  }

  public NpzWriteOptions withAlignment(int value) {
    return new NpzWriteOptions(deflate, value);
  }
}
