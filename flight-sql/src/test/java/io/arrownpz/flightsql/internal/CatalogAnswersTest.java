package io.arrownpz.flightsql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The SQL LIKE of a client's table and schema filters, and its time on a hostile pattern. */
class CatalogAnswersTest {
  @Test
  void likeMatchesAsSqlDoes() {
    String[][] cases = {
        {"%", "", "true"}, {"%", "t.npz", "true"}, {"t%", "t.npz", "true"}, {"%.npz", "frames/prices.npz", "true"},
        {"_", "a", "true"}, {"_", "", "false"}, {"a%b%c", "aXbYc", "true"}, {"a%b%c", "aXbY", "false"},
        {"t\\_x", "t_x", "true"}, {"t\\_x", "tax", "false"}, {"t\\%", "t%", "true"}, {"t\\%", "tx", "false"},
        {"a", "ab", "false"}, {"ab", "a", "false"}, {"%%%", "abc", "true"}, {"frames/%", "frames/p.npz", "true"},
        {"%s/%", "frames/p.npz", "true"}, {"m%n", "main", "true"}, {"M%", "main", "false"}};
    for (String[] c : cases) {
      assertEquals(Boolean.parseBoolean(c[2]), CatalogAnswers.like(c[0], c[1]), c[0] + " ~ " + c[1]);
    }
  }

  @Test
  void aHostilePatternTakesBoundedTime() {
    String pattern = "%a".repeat(5_000) + "b";
    String name = "a".repeat(2_000);
    // as a regex (.*a.*a...b) this backtracks for longer than anyone waits: twelve "%a" against 40 letters ran
    // past 20 s
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertEquals(false, CatalogAnswers.like(pattern, name)));
  }
}
