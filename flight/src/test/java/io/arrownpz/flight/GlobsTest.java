package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.arrownpz.flight.internal.Globs;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's listing glob: the JDK's answers, in bounded time whatever the pattern. */
class GlobsTest {
  private static final List<String> NAMES = List.of("t.npz", "frames/prices.npz", "frames/2024/a.npy", "a", "ab",
      "sales/year=2024/part-0.npz", "x.feather", "x.parquet", "a-b_c.npz", "[odd].npz", "{b}.npz", "q?.npz");
  private static final List<String> GLOBS = List.of("*", "**", "*.npz", "**.npz", "frames/*", "frames/**",
      "frames/*.npz", "?", "??", "a?", "[a-c]*", "[!a-c]*", "*.{npz,npy}", "{frames,sales}/**", "x.{feather,parquet}",
      "**/part-?.npz", "*2024*", "**2024**", "\\[odd\\].npz", "\\{b\\}.npz", "q\\?.npz", "a-b_c.*", "*/*/*", "t.npz",
      "", "**a**b**");

  @Test
  void everyMatchIsTheJdksMatch() {
    for (String glob : GLOBS) {
      if (glob.isEmpty()) {
        continue;
      }
      var jdk = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      var ours = Globs.matcher(glob);
      for (String name : NAMES) {
        assertEquals(jdk.matches(Path.of(name)), ours.test(name), glob + " ~ " + name);
      }
    }
  }

  @Test
  void aHostileGlobTakesBoundedTime() {
    String glob = "**a".repeat(2_000) + "b";
    String name = "a".repeat(500);
    // the JDK's regex of twelve "**a" steps ran past 20 s against 40 letters
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals(false, Globs.matcher(glob).test(name)));
    assertThrows(IllegalArgumentException.class, () -> Globs.matcher("{a,b}".repeat(11)), "2^11 alternatives");
    assertThrows(IllegalArgumentException.class, () -> Globs.matcher("{a,{b}}"));
  }
}
