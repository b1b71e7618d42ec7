package io.arrownpz;

import java.util.List;

/**
 * An NPZ archive: its layout, its members' headers and, for a frame, the frame.
 *
 * @param layout {@code plain}, {@code packed} or {@code frame}
 * @param frame the frame's shape, labels and blocks when the layout is {@code frame}; null otherwise
 * @param tables where the arrays differ in length, the tables the archive holds, one per member (null
 *     masks aside); empty when it is one table
 */
public record NpzInfo(String file, String format, String layout, long bytes, FrameInfo frame, List<MemberInfo> members,
    List<String> tables) implements FileInfo {
  public NpzInfo {
    members = List.copyOf(members);
    tables = List.copyOf(tables);
  }
}
