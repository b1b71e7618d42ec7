package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** A stored Arrow schema is read only when its bytes hold the message its length prefix declares. */
class StoredArrowSchemaTest {
  @Test
  void aLengthPrefixLongerThanTheBytesIsNotRead() throws Exception {
    byte[] claimsAGibibyte = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0x40, 1, 2, 3};
    assertFalse(StoredArrowSchema.holdsDeclaredLength(claimsAGibibyte));
    assertFalse(StoredArrowSchema.holdsDeclaredLength(new byte[] {8, 0, 0, 0, 1, 2, 3}), "old prefix, 8 of 3");
    assertFalse(StoredArrowSchema.holdsDeclaredLength(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff}), "a negative length");
    assertTrue(StoredArrowSchema.holdsDeclaredLength(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        3, 0, 0, 0, 1, 2, 3}));
    assertNull(StoredArrowSchema.storedSchemaOf(ParquetFooter.read(
        Fixtures.path("hostile/parquet-arrow-schema-claims-1gib.parquet"))));
  }
}
