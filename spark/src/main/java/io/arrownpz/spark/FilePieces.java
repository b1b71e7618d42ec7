package io.arrownpz.spark;

import io.arrownpz.npy.NpyFile;
import io.arrownpz.npy.NpyHeader;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Files cut into pieces and packed into input partitions as Spark's own file sources do (FilePartition):
 * a split is at most {@code min(maxPartitionBytes, max(openCostInBytes, bytes per core))}; an {@code .npy}
 * larger than that is cut into row ranges that each task reads alone (NPZ archives and frames are read
 * whole); pieces, largest first, fill partitions up to the split size, each counting its bytes plus the cost
 * of opening a file.
 */
final class FilePieces {
  private FilePieces() {}

  /**
   * Part of a file: rows {@code [from, from + count)} of an {@code .npy}, or the whole file when count is -1.
   *
   * @param bytes what reading it costs, for packing
   * @param partitionValues the values of the keys of the folders it is in
   */
  record Piece(String file, long from, long count, long bytes, List<String> partitionValues) implements Serializable {
    boolean whole() {
      return count < 0;
    }
  }

  /** The pieces of {@code files}, packed into partitions. */
  static List<List<Piece>> plan(List<SourceFiles.DataFile> files, HadoopFiles fileSystems, long maxPartitionBytes,
      long openCostInBytes, int parallelism) {
    long total = 0;
    List<Long> sizes = new ArrayList<>();
    for (SourceFiles.DataFile file : files) {
      long size = file.bytes();
      sizes.add(size);
      total += size + openCostInBytes;
    }
    long bytesPerCore = total / Math.max(1, parallelism);
    long maxSplit = Math.min(maxPartitionBytes, Math.max(openCostInBytes, bytesPerCore));
    List<Piece> pieces = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      SourceFiles.DataFile file = files.get(i);
      long size = sizes.get(i);
      if (file.path().endsWith(".npy") && size > maxSplit) {
        pieces.addAll(rowRanges(file, fileSystems, maxSplit));
      } else {
        pieces.add(new Piece(file.path(), 0, -1, size, file.partitionValues()));
      }
    }
    pieces.sort(Comparator.comparingLong(Piece::bytes).reversed());
    List<List<Piece>> partitions = new ArrayList<>();
    List<Piece> current = new ArrayList<>();
    long currentBytes = 0;
    for (Piece piece : pieces) {
      if (!current.isEmpty() && currentBytes + piece.bytes() > maxSplit) {
        partitions.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(piece);
      currentBytes += piece.bytes() + openCostInBytes;
    }
    if (!current.isEmpty()) {
      partitions.add(current);
    }
    return partitions;
  }

  /** An {@code .npy}'s rows in ranges of about {@code maxSplit} bytes each. */
  private static List<Piece> rowRanges(SourceFiles.DataFile file, HadoopFiles fileSystems, long maxSplit) {
    NpyHeader header;
    try (io.arrownpz.input.InputFile input = fileSystems.open(file.path())) {
      header = NpyFile.readHeader(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long rows = header.shape().length == 0 ? 1 : header.dim(0);
    long rowBytes = rows == 0 ? 1 : Math.max(1, header.dataBytes() / rows);
    long perPiece = Math.max(1, maxSplit / rowBytes);
    List<Piece> pieces = new ArrayList<>();
    for (long from = 0; from < rows; from += perPiece) {
      long count = Math.min(perPiece, rows - from);
      pieces.add(new Piece(file.path(), from, count, count * rowBytes, file.partitionValues()));
    }
    return pieces;
  }
}
