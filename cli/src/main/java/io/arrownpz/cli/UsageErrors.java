package io.arrownpz.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A usage error as one line in our words, {@code arrow-npz: COMMAND: problem}, then where the command's
 * help is; exit code 2. Picocli's own messages name its internals ("positional parameter at index 0..*")
 * and the whole help used to follow them.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  static final int EXIT = 2;

  private final PrintWriter err;

  UsageErrors(PrintWriter err) {
    this.err = err;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine where = e.getCommandLine();
    String command = where.getCommandSpec().qualifiedName(" ");
    String name = where.getCommandSpec().name();
    String prefix = where.getParent() == null ? "" : name + ": ";
    err.println("arrow-npz: " + prefix + say(e));
    err.println("see '" + command + " --help'");
    err.flush();
    return EXIT;
  }

  /** The problem, in words a user of this command knows. */
  static String say(CommandLine.ParameterException e) {
    // An unknown option makes picocli count what follows it as another set of arguments, and complain of
    // those: the option is the user's mistake.
    String unknownOption = e.getCommandLine().getUnmatchedArguments().stream()
        .filter(a -> a.startsWith("-") && a.length() > 1).findFirst().orElse(null);
    if (unknownOption != null && !(e instanceof CommandLine.UnmatchedArgumentException)) {
      return "unknown option " + unknownOption;
    }
    if (e instanceof CommandLine.MissingParameterException missing) {
      return "missing " + missing.getMissing().stream().map(UsageErrors::label).collect(Collectors.joining(", "))
          + given(e.getCommandLine());
    }
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      List<String> unknown = unmatched.getUnmatched();
      String first = unknown.isEmpty() ? "" : unknown.get(0);
      List<String> suggestions = unmatched.getSuggestions();
      String hint = suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
      if (first.startsWith("-") && first.length() > 1) {
        return "unknown option " + first + hint;
      }
      return (e.getCommandLine().getParent() == null && !e.getCommandLine().getSubcommands().isEmpty()
          ? "unknown command '" + first + "'" : "unexpected argument '" + first + "'") + hint;
    }
    if (e instanceof CommandLine.OverwrittenOptionException overwritten) {
      return label(overwritten.getOverwritten()) + " given more than once";
    }
    if (e instanceof CommandLine.MaxValuesExceededException) {
      return "too many arguments" + given(e.getCommandLine());
    }
    String said = String.valueOf(e.getMessage());
    // Type conversions: "Invalid value for option '--runs': 'x' is not an int".
    said = said.replaceFirst("^Invalid value for option '([^']*)': ", "$1: ")
        .replaceFirst("^Invalid value for positional parameter at index [0-9.*]+ \\(([^)]*)\\): ", "$1: ")
        .replaceFirst("^Error: ", "")
        .replaceAll("is not an? (int|long|short|byte)\\b", "is not a whole number")
        .replaceAll("is not a (double|float)\\b", "is not a number");
    return said;
  }

  private static String label(ArgSpec arg) {
    if (arg instanceof OptionSpec option) {
      return option.longestName() + (option.arity().max() > 0 ? "=" + option.paramLabel() : "");
    }
    return arg.paramLabel();
  }

  /** What was given where arguments were missing or too many: " (given: a b)", or nothing. */
  private static String given(CommandLine command) {
    List<String> positional = command.getParseResult() == null ? List.of()
        : command.getParseResult().matchedPositionals().stream()
            .flatMap(p -> p.stringValues().stream()).distinct().toList();
    return positional.isEmpty() ? "" : " (given: " + String.join(" ", positional) + ")";
  }
}
