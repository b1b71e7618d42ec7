package io.arrownpz;

import java.util.List;

/**
 * An NPZ archive: its layout, its members' headers and, for a frame, the frame.
 *
 * @param layout {@code plain}, {@code packed} or {@code frame}
 * @param frame the frame's shape, labels and blocks when the layout is {@code frame}; null otherwise
 */
public record NpzInfo(String file, String format, String layout, long bytes, FrameInfo frame, List<MemberInfo> members)
    implements FileInfo {
  public NpzInfo {
    members = List.copyOf(members);
  }
}
