package io.arrownpz.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Help texts wrapped between words. Picocli breaks a long description where Java's line breaking allows,
 * which includes after a dot inside a word: {@code .arrows} came out as {@code .} and {@code arrows} on two
 * lines, {@code np.savez} as {@code np.} and {@code savez}. Every description is wrapped here at spaces,
 * narrower than picocli's columns, so that picocli has nothing left to break.
 */
final class HelpText {
  /** Room for an option's description (the column picocli gives it, less its indent for continued lines). */
  static final int OPTION_WIDTH = 48;
  /** Room for a command's description, the usage message's full width. */
  static final int COMMAND_WIDTH = 78;

  private HelpText() {}

  /** Rewraps the descriptions of {@code cli}'s command and of every subcommand, in place. */
  static void wrapBetweenWords(CommandLine cli) {
    CommandSpec spec = cli.getCommandSpec();
    spec.usageMessage().description(wrap(spec.usageMessage().description(), COMMAND_WIDTH));
    for (OptionSpec option : List.copyOf(spec.options())) {
      String[] wrapped = wrap(option.description(), OPTION_WIDTH);
      if (!option.inherited() && !List.of(wrapped).equals(List.of(option.description()))) {
        spec.remove(option);
        spec.addOption(OptionSpec.builder(option).description(wrapped).build());
      }
    }
    for (PositionalParamSpec positional : List.copyOf(spec.positionalParameters())) {
      String[] wrapped = wrap(positional.description(), OPTION_WIDTH);
      if (!List.of(wrapped).equals(List.of(positional.description()))) {
        spec.remove(positional);
        spec.addPositional(PositionalParamSpec.builder(positional).description(wrapped).build());
      }
    }
    cli.getSubcommands().values().forEach(HelpText::wrapBetweenWords);
  }

  /** Each paragraph (element, or part between {@code %n}) filled to {@code width}, breaking at spaces only. */
  static String[] wrap(String[] paragraphs, int width) {
    List<String> lines = new ArrayList<>();
    for (String element : paragraphs) {
      for (String paragraph : element.split("%n", -1)) {
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.trim().split(" +")) {
          if (line.length() > 0 && line.length() + 1 + word.length() > width) {
            lines.add(line.toString());
            line.setLength(0);
          }
          line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
      }
    }
    return lines.toArray(String[]::new);
  }
}
