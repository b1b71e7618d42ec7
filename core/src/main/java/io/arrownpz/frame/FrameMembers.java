package io.arrownpz.frame;

/** Member names of a StaticFrame frame (docs/FORMAT.md section 3). */
final class FrameMembers {
  private FrameMembers() {}

  static String index(int level) {
    return "__values_index_" + level + "__.npy";
  }

  static String columns(int level) {
    return "__values_columns_" + level + "__.npy";
  }

  static String block(int i) {
    return "__blocks_" + i + "__.npy";
  }
}
