package io.arrownpz.pack;

/**
 * How {@link Unpacker} explodes list columns.
 *
 * @param positionColumn the name of an added int32 column holding each event's index inside its group,
 *     or null for none
 * @param emptyAsNullRow a group whose lists are empty gives one row with nulls in the list columns,
 *     instead of no row
 */
public record UnpackOptions(String positionColumn, boolean emptyAsNullRow) {
  public static final UnpackOptions DEFAULT = new UnpackOptions(null, false);

  public UnpackOptions position(String name) {
    return new UnpackOptions(name, emptyAsNullRow);
  }

  public UnpackOptions emptyAsNullRow(boolean value) {
    return new UnpackOptions(positionColumn, value);
  }
}
