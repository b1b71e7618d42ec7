package io.arrownpz.arrow;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/**
 * Several columns of one dtype written as one 2-d NPY array (a frame block), shape (rows, columns). In
 * Fortran order each column's bytes follow the previous column's, so every column is one straight copy
 * (and a view again when read back); in C order (as StaticFrame consolidates blocks) rows interleave.
 */
public final class NpyBlockWriter implements NpyOutput {
  private final NpyDtype dtype;
  private final List<ElementEncoder> columns;
  private final long rows;
  private final boolean fortranOrder;

  private NpyBlockWriter(NpyDtype dtype, List<ElementEncoder> columns, long rows, boolean fortranOrder) {
    this.dtype = dtype;
    this.columns = columns;
    this.rows = rows;
    this.fortranOrder = fortranOrder;
  }

  /** A block of {@code vectors}, all of which must have {@code dtype} as their NumPy form. */
  public static NpyBlockWriter of(List<FieldVector> vectors, NpyDtype dtype, boolean fortranOrder) {
    List<ElementEncoder> encoders = new ArrayList<>(vectors.size());
    long rows = vectors.isEmpty() ? 0 : vectors.get(0).getValueCount();
    for (FieldVector v : vectors) {
      if (v.getValueCount() != rows) {
        throw new UnsupportedDataException(v.getName(), v.getValueCount() + " rows where the block has " + rows);
      }
      encoders.add(NpyVectorWriter.encoderFor(v, dtype, v.getName()));
    }
    return new NpyBlockWriter(dtype, encoders, rows, fortranOrder);
  }

  @Override
  public byte[] header() {
    return NpyHeaderCodec.encode(dtype, fortranOrder, new long[] {rows, columns.size()});
  }

  @Override
  public long totalBytes() {
    return header().length + rows * columns.size() * dtype.itemSize();
  }

  @Override
  public void writeTo(WritableByteChannel channel) throws IOException {
    NpyVectorWriter.writeFully(channel, ByteBuffer.wrap(header()));
    if (fortranOrder) {
      writeColumns(channel);
    } else {
      NpyVectorWriter.writeElements(channel, new RowMajor(columns, rows), dtype, null);
    }
  }

  /**
   * Column after column. Columns that lie one after another in memory (the columns of a block that was
   * read, or of a frame whose block was transposed once) are written as one run, straight from memory;
   * short runs that lie elsewhere are gathered into one buffer and written together: a block of 10,000
   * short columns is then a few writes, not a buffer view and a write per column.
   */
  private void writeColumns(WritableByteChannel channel) throws IOException {
    long columnBytes = rows * dtype.itemSize();
    if (columnBytes == 0) {
      return;
    }
    ByteBuffer gathered = null;
    int n = columns.size();
    for (int i = 0; i < n; ) {
      long address = columns.get(i).contiguousAddress();
      if (address == 0) {
        gathered = flush(channel, gathered);
        NpyVectorWriter.writeElements(channel, columns.get(i++), dtype, null);
        continue;
      }
      int end = i + 1;
      while (end < n && columns.get(end).contiguousAddress() == address + (end - i) * columnBytes) {
        end++;
      }
      long runBytes = (end - i) * columnBytes;
      if (runBytes > GATHER_LIMIT) {
        gathered = flush(channel, gathered);
        NpyVectorWriter.writeMemory(channel, address, runBytes);
      } else {
        if (gathered == null) {
          gathered = ByteBuffer.allocateDirect((int) Math.min(GATHER_BUFFER, columnBytes * n));
        }
        if (gathered.remaining() < runBytes) {
          gathered = flush(channel, gathered);
        }
        MemoryUtil.copyMemory(address, MemoryUtil.getByteBufferAddress(gathered) + gathered.position(), runBytes);
        gathered.position(gathered.position() + (int) runBytes);
      }
      i = end;
    }
    flush(channel, gathered);
  }

  /** Writes what was gathered (null: nothing yet) and hands the buffer back empty. */
  private static ByteBuffer flush(WritableByteChannel channel, ByteBuffer gathered) throws IOException {
    if (gathered != null && gathered.position() > 0) {
      NpyVectorWriter.writeFully(channel, gathered.flip());
      gathered.clear();
    }
    return gathered;
  }

  /** Runs of columns up to this size are gathered; bigger ones are written straight from memory. */
  private static final long GATHER_LIMIT = 64 << 10;
  private static final long GATHER_BUFFER = 1 << 20;

  /** The block's elements in row-major order, drawn from its column encoders. */
  private record RowMajor(List<ElementEncoder> columns, long rows) implements ElementEncoder {
    @Override
    public long count() {
      return rows * columns.size();
    }

    @Override
    public int itemSize() {
      return columns.get(0).itemSize();
    }

    @Override
    public void put(long index, ByteBuffer out) {
      int k = columns.size();
      columns.get((int) (index % k)).put(index / k, out);
    }
  }
}
