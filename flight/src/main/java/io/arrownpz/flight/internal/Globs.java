package io.arrownpz.flight.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The glob of a client's ListFlights criteria, matched as the JDK's {@code glob:} path matcher matches
 * names ({@code *} any run within a folder, {@code **} any run, {@code ?} one character but {@code /},
 * {@code [a-z]} and {@code [!a-z]} one character of a set, {@code {a,b}} either, {@code \} escapes), but in
 * time bounded by the pattern's length times the name's: the JDK turns a glob into a regex, which
 * backtracks for ages on {@code **a**a**a...} (twelve such steps against a 40-letter name ran past 20 s).
 * The names are walked against every pattern position at once; a group {@code {..}} makes alternatives, at
 * most {@link #MOST_ALTERNATIVES}.
 */
public final class Globs {
  /** The most alternatives the groups of one glob may make (their sizes' product). */
  public static final int MOST_ALTERNATIVES = 1024;

  private enum Kind { LITERAL, ONE, STAR, ANY_DEPTH, SET }

  private record Step(Kind kind, char literal, String set, boolean negated) {}

  private Globs() {}

  /** A test of names against {@code glob}; an IllegalArgumentException naming what is wrong with it. */
  public static Predicate<String> matcher(String glob) {
    List<List<Step>> alternatives = new ArrayList<>();
    for (String pattern : alternatives(glob)) {
      alternatives.add(steps(pattern));
    }
    return name -> alternatives.stream().anyMatch(steps -> matches(steps, name));
  }

  /** The glob with each group {@code {a,b}} replaced by each of its choices (groups do not nest). */
  private static List<String> alternatives(String glob) {
    List<String> done = new ArrayList<>(List.of(""));
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        String escaped = glob.substring(i, i + 2);
        done.replaceAll(prefix -> prefix + escaped);
        i += 2;
      } else if (c == '{') {
        int end = i + 1;
        List<String> choices = new ArrayList<>();
        StringBuilder choice = new StringBuilder();
        while (end < glob.length() && glob.charAt(end) != '}') {
          char d = glob.charAt(end);
          if (d == '{') {
            throw new IllegalArgumentException("a glob's groups do not nest: " + glob);
          }
          if (d == '\\' && end + 1 < glob.length()) {
            choice.append(d).append(glob.charAt(++end));
          } else if (d == ',') {
            choices.add(choice.toString());
            choice.setLength(0);
          } else {
            choice.append(d);
          }
          end++;
        }
        if (end >= glob.length()) {
          throw new IllegalArgumentException("a glob's group is not closed: " + glob);
        }
        choices.add(choice.toString());
        if ((long) done.size() * choices.size() > MOST_ALTERNATIVES) {
          throw new IllegalArgumentException("a glob's groups make more than " + MOST_ALTERNATIVES + " alternatives");
        }
        List<String> next = new ArrayList<>();
        for (String prefix : done) {
          for (String option : choices) {
            next.add(prefix + option);
          }
        }
        done = next;
        i = end + 1;
      } else {
        done.replaceAll(prefix -> prefix + c);
        i++;
      }
    }
    return done;
  }

  private static List<Step> steps(String pattern) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 >= pattern.length()) {
            throw new IllegalArgumentException("a glob ends in an escape: " + pattern);
          }
          steps.add(new Step(Kind.LITERAL, pattern.charAt(++i), null, false));
        }
        case '?' -> steps.add(new Step(Kind.ONE, '\0', null, false));
        case '*' -> {
          boolean deep = i + 1 < pattern.length() && pattern.charAt(i + 1) == '*';
          i += deep ? 1 : 0;
          steps.add(new Step(deep ? Kind.ANY_DEPTH : Kind.STAR, '\0', null, false));
        }
        case '[' -> {
          int end = pattern.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("a glob's [ is not closed: " + pattern);
          }
          boolean negated = pattern.charAt(i + 1) == '!';
          steps.add(new Step(Kind.SET, '\0', pattern.substring(i + (negated ? 2 : 1), end), negated));
          i = end;
        }
        default -> steps.add(new Step(Kind.LITERAL, c, null, false));
      }
    }
    return steps;
  }

  private static boolean inSet(String set, char c) {
    for (int i = 0; i < set.length(); i++) {
      if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
        if (set.charAt(i) <= c && c <= set.charAt(i + 2)) {
          return true;
        }
        i += 2;
      } else if (set.charAt(i) == c) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code name} matches the steps: the set of positions reached, one character at a time. */
  private static boolean matches(List<Step> steps, String name) {
    int n = steps.size();
    boolean[] at = new boolean[n + 1];
    at[0] = true;
    skipStars(steps, at);
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      boolean[] next = new boolean[n + 1];
      boolean any = false;
      for (int i = 0; i < n; i++) {
        if (!at[i]) {
          continue;
        }
        Step step = steps.get(i);
        switch (step.kind()) {
          case STAR -> next[i] |= c != '/';
          case ANY_DEPTH -> next[i] = true;
          case ONE -> next[i + 1] |= c != '/';
          case LITERAL -> next[i + 1] |= c == step.literal();
          case SET -> next[i + 1] |= c != '/' && inSet(step.set(), c) != step.negated();
        }
      }
      for (boolean b : next) {
        any |= b;
      }
      if (!any) {
        return false;
      }
      skipStars(steps, next);
      at = next;
    }
    return at[n];
  }

  /** A star may match nothing: the position after it is reached too. */
  private static void skipStars(List<Step> steps, boolean[] at) {
    for (int i = 0; i < steps.size(); i++) {
      Kind kind = steps.get(i).kind();
      if (at[i] && (kind == Kind.STAR || kind == Kind.ANY_DEPTH)) {
        at[i + 1] = true;
      }
    }
  }
}
