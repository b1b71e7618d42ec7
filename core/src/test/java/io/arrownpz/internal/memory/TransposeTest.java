package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import org.apache.arrow.memory.ArrowBuf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tiled transposition puts every byte where the definition says (element (r, c) of a C-order array
 * at r * cols + c, of the Fortran-order copy at c * rows + r), for shapes that are not multiples of the
 * tiles, for one row or one column, and for every item size a NumPy block can have.
 */
class TransposeTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @ParameterizedTest(name = "{0} x {1}, {2}-byte items")
  @CsvSource({
      "1, 1, 8", "1, 2, 8", "1, 300, 8", "600, 67, 8", "257, 3, 4", "300, 1, 8", "129, 33, 8", "10000, 100, 8", "100, 10000, 8",
      "257, 65, 1", "255, 31, 2", "128, 32, 4", "513, 97, 4", "77, 45, 16", "130, 35, 3", "64, 70, 12",
  })
  void everyElementLandsInItsColumn(int rows, int cols, int itemSize) {
    long bytes = (long) rows * cols * itemSize;
    try (ArrowBuf src = memory.allocator().buffer(bytes)) {
      for (long i = 0; i < bytes; i++) {
        src.setByte(i, (byte) (i * 31 + i / 251)); // no period that a tile size divides
      }
      try (ArrowBuf whole = memory.allocator().buffer(Math.max(bytes, 1));
           ArrowBuf banded = memory.allocator().buffer(Math.max(bytes, 1))) {
        Transpose.cToFortran(src.memoryAddress(), rows, cols, itemSize, whole.memoryAddress());
        // The same copy a band of rows at a time, as a frame read from a file makes it: bands of uneven sizes.
        long rowBytes = (long) cols * itemSize;
        for (long first = 0, band = 1; first < rows; first += band, band = band * 3 % 17 + 1) {
          long count = Math.min(band, rows - first);
          Transpose.rowsToColumns(src.memoryAddress() + first * rowBytes, rowBytes, first, count, rows, cols, itemSize,
              banded.memoryAddress());
        }
        assertTransposed(src, whole, rows, cols, itemSize);
        assertTransposed(src, banded, rows, cols, itemSize);
      }
    }
  }

  private static void assertTransposed(ArrowBuf src, ArrowBuf out, int rows, int cols, int itemSize) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        for (int b = 0; b < itemSize; b++) {
          long from = ((long) r * cols + c) * itemSize + b;
          long to = ((long) c * rows + r) * itemSize + b;
          if (src.getByte(from) != out.getByte(to)) {
            assertEquals(src.getByte(from), out.getByte(to), "element (" + r + ", " + c + ") byte " + b);
          }
        }
      }
    }
  }
}
