package io.arrownpz.npz;

/** What an NPZ holds, told apart by its marker members. */
public enum NpzLayout {
  /** Arrays saved with {@code np.savez}: one column per member. */
  PLAIN,
  /** A StaticFrame frame: has {@code __meta__.json}. */
  FRAME,
  /** Packed events (one row per group, list columns): has {@code __offsets__.npy}. */
  PACKED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
