package io.arrownpz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Every command's help keeps each word of each description whole (no {@code .} / {@code arrows} split
 * across lines), and a usage error is one line in our words and a pointer to the help, exit code 2.
 */
class HelpTextIT {
  @Test
  void helpWrapsBetweenWords() {
    CommandLine plain = new CommandLine(new Main());
    CommandLine wrapped = new CommandLine(new Main());
    HelpText.wrapBetweenWords(wrapped);
    List<String> broken = new ArrayList<>();
    for (String name : plain.getSubcommands().keySet()) {
      String help = wrapped.getSubcommands().get(name).getUsageMessage(CommandLine.Help.Ansi.OFF);
      Set<String> tokens = new HashSet<>(List.of(help.split("\\s+")));
      CommandLine.Model.CommandSpec spec = plain.getSubcommands().get(name).getCommandSpec();
      List<ArgSpec> args = new ArrayList<>(spec.options());
      args.addAll(spec.positionalParameters());
      for (ArgSpec arg : args) {
        for (String line : arg.description()) {
          for (String word : line.split("\\s+")) {
            if (!word.isEmpty() && !word.contains("${") && !word.contains("%n") && !tokens.contains(word)) {
              broken.add(name + ": " + word);
            }
          }
        }
      }
    }
    assertEquals(List.of(), broken, "words of a description split across lines");
  }

  @Test
  void aUsageErrorIsOneLineAndWhereTheHelpIs() {
    String[][] mistakes = {{}, {"frobnicate"}, {"inspect"}, {"convert", "a.npy"}, {"convert", "a.npy", "b.npz",
        "--overwrit"}, {"convert", "a.npy", "b.npz", "--runs", "3"}, {"compare", "x", "--runs", "abc"},
        {"serve", "--port", "x", "."}};
    for (String[] args : mistakes) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err));
      String said = String.join(" ", args) + " -> " + err;
      assertEquals(2, exit, said);
      List<String> lines = err.toString().strip().lines().toList();
      assertEquals(2, lines.size(), said);
      assertTrue(lines.get(0).startsWith("arrow-npz: "), said);
      assertTrue(lines.get(1).matches("see 'arrow-npz( [a-z]+)? --help'"), said);
      assertFalse(err.toString().contains("positional parameter") || err.toString().contains("Usage:")
          || err.toString().contains("Invalid value"), said);
      assertEquals("", out.toString(), said);
    }
  }
}
