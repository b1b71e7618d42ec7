package io.arrownpz;

import java.util.List;

/**
 * A StaticFrame frame, from its {@code __meta__.json} and its members' headers.
 *
 * @param shape rows, columns
 * @param name the frame's name as text (JSON text for names that are not strings), or null
 */
public record FrameInfo(long[] shape, String name, Labels index, Labels columns, List<Block> blocks) {
  public FrameInfo {
    blocks = List.copyOf(blocks);
  }

  /**
   * The index or the column labels.
   *
   * @param className the StaticFrame class, e.g. {@code Index}, {@code IndexDate}, {@code IndexHierarchy}
   * @param auto whether the labels are automatic (0 to n-1, not stored)
   * @param dtypes each stored level's dtype
   */
  public record Labels(String className, int depth, String name, boolean auto, List<String> dtypes) {
    public Labels {
      dtypes = List.copyOf(dtypes);
    }
  }

  /**
   * One block of values.
   *
   * @param order {@code C} or {@code F} for 2-d blocks, {@code -} for 1-d
   */
  public record Block(String member, String dtype, long[] shape, String order) {}
}
