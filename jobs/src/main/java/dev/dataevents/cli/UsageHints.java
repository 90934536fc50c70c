package dev.dataevents.cli;

import java.util.Collection;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Names what a usage error probably comes from: a misspelled option, which picocli reads as a value
 * of the option before it when that one takes several ({@code --input a --ouput b} only misses
 * {@code --output}), or reports with the values after it; and a misspelled command. With the
 * nearest real name, when one is near.
 */
final class UsageHints {
  /** Most edits from a misspelling to the name it suggests. */
  private static final int MAX_EDITS = 2;

  private UsageHints() {}

  /**
   * The hint for an error of {@code command} over {@code args}, as " (...)", or "" when no word of
   * the arguments looks misspelled.
   */
  static String of(CommandLine command, String[] args) {
    CommandSpec spec = command.getCommandSpec();
    Map<String, CommandLine> subcommands = command.getSubcommands();
    if (!subcommands.isEmpty()) {
      // The top command: its first word that is neither an option nor an option's value should
      // have been a command.
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.startsWith("-")) {
          i += valuesAfter(spec, arg);
          continue;
        }
        return subcommands.containsKey(arg)
            ? ""
            : " ('" + arg + "' is no command" + nearest(arg, subcommands.keySet()) + ")";
      }
      return "";
    }
    CommandSpec parent = command.getParent() == null ? null : command.getParent().getCommandSpec();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        return ""; // what follows is no option
      }
      if (!arg.startsWith("--")) {
        continue;
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      if (spec.optionsMap().containsKey(name)) {
        i += valuesAfter(spec, arg); // a value such as --workspace --ws is the option's
        continue;
      }
      if (parent != null && parent.optionsMap().containsKey(name)) {
        i += valuesAfter(parent, arg);
        continue;
      }
      return " ('"
          + name
          + "' is no option of "
          + spec.name()
          + nearest(name, spec.optionsMap().keySet())
          + ")";
    }
    return "";
  }

  /**
   * How many of the next arguments are surely the value of option {@code arg}: one for an option
   * that takes exactly one value given as the next word, none otherwise (a flag, {@code
   * --name=value}, or an option of several values, after which a misspelled option is read as one
   * of them: what the hint is for).
   */
  private static int valuesAfter(CommandSpec spec, String arg) {
    if (arg.contains("=")) {
      return 0;
    }
    OptionSpec option = spec.optionsMap().get(arg);
    if (option == null || option.typeInfo().isBoolean() || option.arity().max() != 1) {
      return 0;
    }
    return 1;
  }

  /** ": did you mean X?" for the nearest of {@code names}, or "". */
  private static String nearest(String word, Collection<String> names) {
    String best = null;
    int bestEdits = MAX_EDITS + 1;
    for (String name : names) {
      if (word.startsWith("--") && !name.startsWith("--")) {
        continue; // a short option is no spelling of a long one
      }
      int edits = edits(word, name);
      if (edits < bestEdits) {
        best = name;
        bestEdits = edits;
      }
    }
    return best == null ? "" : ": did you mean " + best + "?";
  }

  /** Levenshtein distance, with a swap of neighbours counted as one edit. */
  static int edits(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
