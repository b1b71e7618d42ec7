package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.Remedy;
import io.arrownpz.UnsupportedDataException;
import picocli.CommandLine;

/**
 * The option that gets past a refusal, said after it: the library names the remedy, and a hint is given
 * only when the command that ran offers that option.
 */
final class Hints {
  private Hints() {}

  /** " (--OPTION ...)" for {@code e}'s remedy when {@code command} has the option, else "". */
  static String of(Throwable e, CommandLine.Model.CommandSpec command) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Remedy remedy = t instanceof BadFileException b ? b.remedy()
          : t instanceof UnsupportedDataException u ? u.remedy() : null;
      if (remedy != null) {
        return switch (remedy) {
          case NULLS_TO_FLOAT -> offered(command, "--nulls-to-float",
              " (--nulls-to-float writes int and bool columns with nulls as float64 with NaN)");
          case NEAREST_DTYPE -> offered(command, "--nearest-dtype", " (--nearest-dtype writes the nearest NumPy type)");
          case CHOOSE_COLUMN -> offered(command, "--column", " (--column NAME)");
          case CHOOSE_MEMBER -> offered(command, "--member", " (--member NAME)");
        };
      }
    }
    return "";
  }

  private static String offered(CommandLine.Model.CommandSpec command, String option, String hint) {
    return command != null && command.findOption(option) != null ? hint : "";
  }
}
