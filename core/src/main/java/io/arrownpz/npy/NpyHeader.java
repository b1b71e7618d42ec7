package io.arrownpz.npy;

import java.util.Arrays;

/**
 * What an NPY header says: the dtype, the shape, the memory order, and where the data starts. Values are
 * validated on construction by the header codec; a header object always describes a consistent array.
 *
 * @param majorVersion 1, 2 or 3
 * @param dtype the element type
 * @param fortranOrder whether multi-dimensional data is stored column-major
 * @param shape the dimensions; empty for a 0-d array (one element)
 * @param dataOffset bytes from the start of the NPY data to the first element
 */
public record NpyHeader(int majorVersion, NpyDtype dtype, boolean fortranOrder, long[] shape, long dataOffset) {

  public NpyHeader {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis];
  }

  /** Number of elements: the product of the shape, 1 for a 0-d array. */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n *= d; // overflow already excluded by validation
    }
    return n;
  }

  public long dataBytes() {
    return elementCount() * dtype.itemSize();
  }

  /** The shape as Python prints it: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
  public static String shapeText(long[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(shape[i]);
    }
    return b.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyHeader h
        && h.majorVersion == majorVersion
        && h.dtype.equals(dtype)
        && h.fortranOrder == fortranOrder
        && Arrays.equals(h.shape, shape)
        && h.dataOffset == dataOffset;
  }

  @Override
  public int hashCode() {
    return 31 * dtype.hashCode() + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "NpyHeader[" + dtype + ", " + shapeText(shape) + (fortranOrder ? ", fortran" : "") + ", v" + majorVersion + "]";
  }
}
