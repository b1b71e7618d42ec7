package io.arrownpz.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.arrow.memory.ArrowBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Our in-place UTF-8 check agrees with the JDK's strict decoder, on text and on random bytes. */
class Utf8Test {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private boolean oursAccepts(byte[] bytes) {
    try (ArrowBuf buf = memory.allocator().buffer(Math.max(1, bytes.length))) {
      buf.setBytes(0, bytes);
      return Utf8.isWellFormed(buf.memoryAddress(), bytes.length);
    }
  }

  @Test
  void agreesWithTheJdkOnEdgeCases() {
    String[] hex = {"", "41", "c280", "c1bf", "c0af", "e0a080", "e09f80", "eda080", "ed9fbf", "ee8080",
        "f0908080", "f08f8080", "f48fbfbf", "f4908080", "f5808080", "80", "bf", "c2", "e0a0", "f09080",
        "ff", "fe", "4142434445464748c280", "414243444546474880", "e282ac41424344454647"};
    for (String h : hex) {
      byte[] bytes = java.util.HexFormat.of().parseHex(h);
      assertEquals(jdkAccepts(bytes), oursAccepts(bytes), h);
    }
  }

  @Test
  void tellsAsciiFromOtherText() {
    try (ArrowBuf buf = memory.allocator().buffer(64)) {
      byte[] ascii = "twenty ASCII bytes..".getBytes(StandardCharsets.UTF_8);
      byte[] other = "twenty bytes, one é".getBytes(StandardCharsets.UTF_8);
      buf.setBytes(0, ascii);
      assertEquals(Utf8.ASCII, Utf8.classify(buf.memoryAddress(), ascii.length));
      buf.setBytes(0, other);
      assertEquals(Utf8.NON_ASCII, Utf8.classify(buf.memoryAddress(), other.length));
      assertEquals(Utf8.BROKEN, Utf8.classify(buf.memoryAddress(), other.length - 1));
    }
  }

  @Test
  void agreesWithTheJdkOnRandomAndMutatedText() {
    Random random = new Random(11);
    String text = "plain ASCII, then é, 日本語, 😀 and U+10FFFF \uDBFF\uDFFF at the end";
    byte[] good = text.getBytes(StandardCharsets.UTF_8);
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] bytes;
      if (trial % 2 == 0) {
        bytes = good.clone();
        for (int k = random.nextInt(3); k >= 0; k--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        bytes = java.util.Arrays.copyOfRange(bytes, random.nextInt(4), bytes.length - random.nextInt(4));
      } else {
        bytes = new byte[random.nextInt(20)];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x80 + random.nextInt(0x80));
        }
      }
      assertEquals(jdkAccepts(bytes), oursAccepts(bytes), java.util.HexFormat.of().formatHex(bytes));
    }
  }
}
