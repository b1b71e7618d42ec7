package io.arrownpz;

import io.arrownpz.internal.arrow.ArrowTypeText;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NumpyArrowTypes;
import io.arrownpz.npy.NpyHeader;

/**
 * A standalone {@code .npy} file's header.
 *
 * @param version the NPY format version, {@code 1.0}, {@code 2.0} or {@code 3.0}
 * @param descr the NumPy dtype string
 * @param shape the array's shape ({@code []} for 0-d)
 * @param fortranOrder whether the data is column-major
 * @param elements the number of elements (the product of the shape)
 * @param arrowType the Arrow type the array reads as, spelled as pyarrow prints it
 */
public record NpyInfo(String file, String format, String version, String descr, long[] shape, boolean fortranOrder,
    long elements, String arrowType, long bytes) implements FileInfo {

  static NpyInfo of(String file, NpyHeader header, String column, long bytes) {
    return new NpyInfo(file, NumpyFormat.NPY.formatName(), versionText(header), header.dtype().descr(),
        header.shape(), header.fortranOrder(), header.elementCount(), arrowTypeText(header, column), bytes);
  }

  static String versionText(NpyHeader header) {
    return header.majorVersion() + ".0";
  }

  /** The Arrow type's text, or why there is none (an array Arrow cannot hold is still described). */
  static String arrowTypeText(NpyHeader header, String column) {
    try {
      return ArrowTypeText.of(NumpyArrowTypes.field(column, header, NpyReadOptions.DEFAULTS));
    } catch (UnsupportedDataException e) {
      return "none: " + e.getMessage();
    }
  }
}
