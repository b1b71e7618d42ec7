package io.arrownpz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** (A unit test; this module runs its tests with failsafe.) When the untimed passes stop: a fixed number, or once the times settle. */
class WarmUpIT {
  private static int passesMade(WarmUp warmUp, java.util.function.IntToDoubleFunction passMillis) {
    WarmUp.Schedule schedule = warmUp.schedule();
    while (schedule.wantsAnother()) {
      schedule.passed(passMillis.applyAsDouble(schedule.made()));
    }
    return schedule.made();
  }

  @Test
  void aFixedNumberIsExactlyThatMany() {
    assertEquals(0, passesMade(WarmUp.passes(0), pass -> 1.0));
    assertEquals(7, passesMade(WarmUp.passes(7), pass -> 100.0 / (pass + 1)));
  }

  @Test
  void autoStopsOnceThePassesNoLongerGetFaster() {
    // Passes that take their time (a pass here takes none, so each must say what it took).
    WarmUp.Schedule flat = WarmUp.AUTO.schedule();
    int made = 0;
    while (flat.wantsAnother()) {
      sleepMillis(25);
      flat.passed(25);
      made++;
    }
    // The least number of passes (2.5 s of them: past the least time), the patience long run out.
    assertEquals(WarmUp.MIN_AUTO_PASSES, made);
    assertTrue(WarmUp.MIN_AUTO_PASSES * 25 > WarmUp.AUTO_MIN_NANOS / 1e6 && WarmUp.MIN_AUTO_PASSES > WarmUp.PATIENCE);
    assertTrue(WarmUp.MIN_AUTO_PASSES * 25 < WarmUp.AUTO_BUDGET_NANOS / 1e6, "the budget does not cut the test short");
  }

  @Test
  void autoGoesOnWhilePassesGetFasterWithinItsLimits() {
    // Passes that take no real time and keep getting 5% faster: the patience never runs out, the cap stops it.
    int made = passesMade(WarmUp.AUTO, pass -> pass < 2000 ? 1e6 * Math.pow(0.95, pass) : 1.0);
    assertEquals(WarmUp.AUTO_MAX_PASSES, made, "still getting faster: capped");
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void readsAutoOrANumberAndRefusesTheRest() {
    WarmUp.Converter converter = new WarmUp.Converter();
    assertEquals("auto", converter.convert("auto").toString());
    assertEquals(12, converter.convert("12").fixedPasses());
    for (String bad : new String[] {"-1", "101", "soon", ""}) {
      assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert(bad), bad);
    }
  }
}
