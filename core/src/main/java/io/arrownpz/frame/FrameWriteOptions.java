package io.arrownpz.frame;

import java.util.List;

/**
 * How to write a table as a frame.
 *
 * @param blocks how columns are grouped into blocks
 * @param indexFields for a table that did not come from a frame: the fields that form the index (empty:
 *     an automatic index); ignored for tables that came from a frame unless not empty
 * @param nullsToFloat write int and bool columns that have nulls as float64 with NaN instead of failing
 * @param alignment for NPZ output: 0, or 64 to align every array's data
 */
public record FrameWriteOptions(BlockLayout blocks, List<String> indexFields, boolean nullsToFloat, int alignment) {
  public static final FrameWriteOptions DEFAULTS = new FrameWriteOptions(BlockLayout.FORTRAN_2D, List.of(), false, 0);

  /** How adjacent columns become blocks. */
  public enum BlockLayout {
    /** Adjacent columns of one dtype in one Fortran-order 2-d block: a straight copy per column, views on read. */
    FORTRAN_2D,
    /** Each column its own 1-d block. */
    ONE_PER_COLUMN,
    /** Adjacent columns of one dtype in one C-order 2-d block, as StaticFrame consolidates them. */
    C_ORDER_2D
  }

  public FrameWriteOptions withBlocks(BlockLayout value) {
    return new FrameWriteOptions(value, indexFields, nullsToFloat, alignment);
  }

  public FrameWriteOptions withIndexFields(List<String> value) {
    return new FrameWriteOptions(blocks, List.copyOf(value), nullsToFloat, alignment);
  }

  public FrameWriteOptions withNullsToFloat(boolean value) {
    return new FrameWriteOptions(blocks, indexFields, value, alignment);
  }

  public FrameWriteOptions withAlignment(int value) {
    return new FrameWriteOptions(blocks, indexFields, nullsToFloat, value);
  }
}
