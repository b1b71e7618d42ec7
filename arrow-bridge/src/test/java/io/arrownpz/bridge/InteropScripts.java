package io.arrownpz.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Python scripts the interop tests hand to the peers, kept as test resources under interop/. */
public final class InteropScripts {
  private InteropScripts() {}

  public static String text(String name) {
    try (InputStream s = InteropScripts.class.getResourceAsStream("/interop/" + name)) {
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
