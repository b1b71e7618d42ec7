package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Strings read from Feather files and IPC streams are checked as Arrow's full validation checks them:
 * a string that is not null must be UTF-8 (whatever lies under a null does not matter), for utf8 and
 * large_utf8, compressed or not.
 */
class StringChecksTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final byte[] BAD = {'o', 'k', (byte) 0xC0, (byte) 0xAF}; // an overlong '/'

  private VectorSchemaRoot table(byte[] third, boolean thirdIsNull) {
    VarCharVector small = new VarCharVector("s", memory.allocator());
    LargeVarCharVector large = new LargeVarCharVector("l", memory.allocator());
    byte[][] values = {"plain".getBytes(StandardCharsets.UTF_8), "été 😀".getBytes(StandardCharsets.UTF_8), third};
    for (int i = 0; i < values.length; i++) {
      small.setSafe(i, values[i]);
      large.setSafe(i, values[i]);
    }
    if (thirdIsNull) {
      small.setNull(2);
      large.setNull(2);
    }
    small.setValueCount(3);
    large.setValueCount(3);
    return new VectorSchemaRoot(List.<FieldVector>of(small, large));
  }

  private VectorSchemaRoot writeAndRead(VectorSchemaRoot table, boolean feather, IpcCompression compression)
      throws IOException {
    try (table) {
      Path file = tmp.resolve(feather ? "t.feather" : "t.arrows");
      if (feather) {
        FeatherFiles.write(table, file, compression);
        return FeatherFiles.read(file, memory.allocator());
      }
      IpcStreamFiles.write(table, file, compression);
      return IpcStreamFiles.read(file, memory.allocator());
    }
  }

  @ParameterizedTest
  @EnumSource(IpcCompression.class)
  void aBrokenStringIsRefusedNamingItsColumn(IpcCompression compression) {
    for (boolean feather : new boolean[] {true, false}) {
      BadFileException e = assertThrows(BadFileException.class,
          () -> writeAndRead(table(BAD, false), feather, compression).close());
      assertTrue(e.getMessage().contains("column 's'") && e.getMessage().contains("string 2 is not valid UTF-8"),
          e.getMessage());
    }
  }

  /** "é" cut in two between strings: the bytes end to end are good UTF-8, the strings are not. */
  @ParameterizedTest
  @EnumSource(IpcCompression.class)
  void aCharacterSplitAcrossStringsIsRefused(IpcCompression compression) {
    VarCharVector split = new VarCharVector("s", memory.allocator());
    split.setSafe(0, new byte[] {'a', (byte) 0xC3});
    split.setSafe(1, new byte[] {(byte) 0xA9, 'b'});
    split.setValueCount(2);
    BadFileException e = assertThrows(BadFileException.class,
        () -> writeAndRead(new VectorSchemaRoot(List.<FieldVector>of(split)), true, compression).close());
    assertTrue(e.getMessage().contains("string 0 is not valid UTF-8"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(IpcCompression.class)
  void bytesUnderANullAndGoodTextAreAccepted(IpcCompression compression) throws IOException {
    for (boolean feather : new boolean[] {true, false}) {
      try (VectorSchemaRoot back = writeAndRead(table(BAD, true), feather, compression)) {
        assertEquals("été 😀", back.getVector("s").getObject(1).toString());
        assertEquals("été 😀", back.getVector("l").getObject(1).toString());
        assertTrue(back.getVector("s").isNull(2) && back.getVector("l").isNull(2));
      }
    }
  }
}
