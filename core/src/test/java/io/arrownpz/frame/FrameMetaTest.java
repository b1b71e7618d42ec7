package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Metas parsed one after another, the same bytes again, bytes changed in place: each gives its own values. */
class FrameMetaTest {
  private static byte[] meta(int blocks, String name) {
    return ("{\"__names__\": [\"" + name + "\", null, null], \"__types__\": [\"Index\", \"Index\"], "
        + "\"__depths__\": [" + blocks + ", 1, 1]}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eachParseGivesTheValuesOfItsOwnBytes() {
    byte[] a = meta(3, "a");
    byte[] b = meta(7, "b");
    assertEquals(3, FrameMeta.parse(a).blockCount());
    assertEquals("a", FrameMeta.parse(a).frameName().asText());
    assertEquals(7, FrameMeta.parse(b).blockCount());
    assertEquals(3, FrameMeta.parse(a).blockCount(), "the first again, after another");

    a[a.length - 9] = '5'; // the caller's array changed in place after a parse: "[3, 1, 1]" -> "[5, 1, 1]"
    assertEquals(5, FrameMeta.parse(a).blockCount());
    byte[] bad = meta(5, "a");
    bad[0] = '[';
    assertThrows(IllegalArgumentException.class, () -> FrameMeta.parse(bad));
    assertThrows(IllegalArgumentException.class, () -> FrameMeta.parse(meta(-1, "a")));
  }

  /** Two metas in turn (a writer's and a reader's) are each parsed once, and each gives its own values. */
  @Test
  void twoMetasInTurnAreParsedOnceEach() {
    byte[] w = meta(4, "w");
    byte[] r = meta(6, "r");
    FrameMeta writers = FrameMeta.parse(w);
    FrameMeta readers = FrameMeta.parse(r);
    for (int pass = 0; pass < 3; pass++) {
      assertSame(writers, FrameMeta.parse(w.clone()), "the writer's, pass " + pass);
      assertSame(readers, FrameMeta.parse(r.clone()), "the reader's, pass " + pass);
    }
    assertEquals(4, FrameMeta.parse(w).blockCount());
    assertEquals(6, FrameMeta.parse(r).blockCount());
    FrameMeta.parse(meta(9, "x"));
    FrameMeta.parse(meta(8, "y"));
    assertNotSame(writers, FrameMeta.parse(w), "two others parsed since: parsed again");
    assertEquals(4, FrameMeta.parse(w).blockCount());
  }
}
