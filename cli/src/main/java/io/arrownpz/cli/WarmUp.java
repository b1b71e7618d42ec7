package io.arrownpz.cli;

import picocli.CommandLine;

/**
 * How many untimed passes over every format come before the timed runs of {@code compare} and
 * {@code demo}: a fixed number, or {@code auto}, passes until the times settle. The JIT compiles a method
 * only after thousands of calls, so a frame of a hundred columns takes tens of passes to reach the
 * speed a user's repeated operation has (a tall 100-column NPZ open: 2.5 ms after 3 passes, 0.8 ms
 * after 100). A frame of 10,000 columns makes those calls in a pass, but its largest methods are compiled
 * last, while the passes run on the same two cores: its Feather read took 25 ms until the 18th pass and
 * 12 ms from then on. Loops over columns run in methods called once a pass, and C2 compiles those only
 * once their loops have turned tens of thousands of times: a 1,000-column frame's Feather write and open
 * took 18 and 14 ms a pass, flat, from the 5th pass to the 65th, then 5.5 and 2.1 ms. Auto warms up for
 * 100 passes and 2 seconds at least, then until the passes stop getting faster, for 10 seconds at most.
 */
final class WarmUp {
  /** Passes made before auto stops, at the least. */
  static final int MIN_AUTO_PASSES = 100;
  /**
   * Auto's time for the warm-up of one input, at the least: the JIT's gains come in steps, with flat
   * stretches between them that look settled (a square frame's open: 2.8 ms after 14 passes, 1.3 ms after 60).
   */
  static final long AUTO_MIN_NANOS = 2_000_000_000L;
  /** Auto stops after this many passes in a row that are not clearly faster than the best so far. */
  static final int PATIENCE = 5;
  /** "Clearly faster": by more than this fraction of the best pass. */
  static final double SETTLED = 0.03;
  /** Passes, at the most, when given as a number. */
  static final int MAX_PASSES = 100;
  /** Passes, at the most, for auto (a small file's pass takes a few milliseconds). */
  static final int AUTO_MAX_PASSES = 1000;
  /** Auto's time for the warm-up of one input, after which it stops however the times go. */
  static final long AUTO_BUDGET_NANOS = 10_000_000_000L;

  static final WarmUp AUTO = new WarmUp(-1);

  private final int passes;

  private WarmUp(int passes) {
    this.passes = passes;
  }

  static WarmUp passes(int n) {
    if (n < 0 || n > MAX_PASSES) {
      throw new IllegalArgumentException("--warmup must be auto or between 0 and " + MAX_PASSES);
    }
    return new WarmUp(n);
  }

  boolean isAuto() {
    return passes < 0;
  }

  /** The number of passes asked for; not for auto. */
  int fixedPasses() {
    if (isAuto()) {
      throw new IllegalStateException("auto has no fixed number of passes");
    }
    return passes;
  }

  /** What JSON output says was asked for: the number, or "auto". */
  @Override
  public String toString() {
    return isAuto() ? "auto" : Integer.toString(passes);
  }

  /** The passes for one input, from the first. */
  Schedule schedule() {
    return new Schedule();
  }

  /** Follows one input's warm-up pass by pass and says when it is done. */
  final class Schedule {
    private final long started = System.nanoTime();
    private int made;
    private double best = Double.POSITIVE_INFINITY;
    private int sinceBest;

    /** Whether another pass is due. */
    boolean wantsAnother() {
      if (!isAuto()) {
        return made < passes;
      }
      long elapsed = System.nanoTime() - started;
      if (elapsed >= AUTO_BUDGET_NANOS) {
        return false;
      }
      if (made < MIN_AUTO_PASSES || elapsed < AUTO_MIN_NANOS && made < AUTO_MAX_PASSES) {
        return true;
      }
      return sinceBest < PATIENCE && made < AUTO_MAX_PASSES && elapsed < AUTO_BUDGET_NANOS;
    }

    /** Records a pass that took {@code millis} over all formats. */
    void passed(double millis) {
      made++;
      if (millis < best * (1 - SETTLED)) {
        best = millis;
        sinceBest = 0;
      } else {
        best = Math.min(best, millis);
        sinceBest++;
      }
    }

    int made() {
      return made;
    }
  }

  /** Reads {@code --warmup auto} or {@code --warmup N}. */
  static final class Converter implements CommandLine.ITypeConverter<WarmUp> {
    @Override
    public WarmUp convert(String value) {
      if (value.equalsIgnoreCase("auto")) {
        return AUTO;
      }
      try {
        return passes(Integer.parseInt(value.trim()));
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("--warmup takes auto or a number of passes, not '" + value + "'");
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
