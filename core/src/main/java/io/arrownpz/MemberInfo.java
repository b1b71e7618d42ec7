package io.arrownpz;

import io.arrownpz.npy.NpyHeader;
import io.arrownpz.zip.ZipEntry;

/**
 * One member of an NPZ archive. The array fields are null for members that are not arrays (a frame's
 * {@code __meta__.json}); the offset fields are null for compressed members, whose data has no place in
 * the file to point at.
 *
 * @param compression {@code stored} or {@code deflated}
 * @param size uncompressed bytes
 * @param compressedSize bytes in the archive
 * @param dataOffset for a STORED array: where its first data byte lies in the archive
 * @param aligned for a STORED array: whether that offset is a multiple of 64 (zero-copy vectors aligned)
 */
public record MemberInfo(String name, String compression, long size, long compressedSize, String version, String descr,
    long[] shape, Boolean fortranOrder, Long elements, String arrowType, Long dataOffset, Boolean aligned) {

  static MemberInfo notAnArray(ZipEntry entry) {
    return new MemberInfo(entry.name(), entry.compressionName(), entry.size(), entry.compressedSize(), null, null,
        null, null, null, null, null, null);
  }

  static MemberInfo array(ZipEntry entry, NpyHeader header, String column, Long dataOffset) {
    return new MemberInfo(entry.name(), entry.compressionName(), entry.size(), entry.compressedSize(),
        NpyInfo.versionText(header), header.dtype().descr(), header.shape(), header.fortranOrder(),
        header.elementCount(), NpyInfo.arrowTypeText(header, column), dataOffset,
        dataOffset == null ? null : dataOffset % 64 == 0);
  }

  /** Whether the member is an array (its header fields are set). */
  public boolean isArray() {
    return descr != null;
  }
}
