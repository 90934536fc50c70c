package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The --help of every command reads as picocli lays it out: paragraphs wrapped by picocli (no
 * hand-made line breaks inside one, so no line stops short of the width with the next line's word
 * fitting on it), lists of one row a line, nothing wider than the width, and the top-level command
 * list showing each command's one-line summary whole.
 */
class HelpTextTest {
  /** An indented line that starts an option, or a row of a list (a term, two spaces, its text). */
  private static final Pattern ITEM = Pattern.compile("\\s+(-.*|\\S+\\s{2,}\\S.*)");

  /** An option line with no description on it: its description starts on the next line. */
  private static final Pattern BARE_OPTION = Pattern.compile("\\s+-\\S+(, -\\S+)?\\s*");

  @ParameterizedTest
  @ValueSource(ints = {80, 100, 120})
  void everyUsageIsWrappedByPicocliAndFitsTheWidth(int width) {
    List<String> problems = new ArrayList<>();
    for (CommandLine command : commands()) {
      command.setUsageHelpWidth(width);
      for (String problem : problems(usageWithoutSynopsis(command), width)) {
        problems.add(command.getCommandSpec().qualifiedName() + ": " + problem);
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyUsageIsWrappedByPicocliAtItsDefaultWidth() {
    List<String> problems = new ArrayList<>();
    for (CommandLine command : commands()) {
      int width = command.getUsageHelpWidth();
      for (String problem : problems(usageWithoutSynopsis(command), width)) {
        problems.add(command.getCommandSpec().qualifiedName() + ": " + problem);
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyCommandThatOffersVersionPrintsTheSameVersion() {
    CommandLine top = DataEventsCommand.commandLine();
    java.io.StringWriter topOut = new java.io.StringWriter();
    top.setOut(new java.io.PrintWriter(topOut, true));
    assertThat(top.execute("--version")).isZero();
    assertThat(topOut.toString()).startsWith("data-events ");
    for (String sub : List.of("backfill", "recompute", "stream", "report", "latest")) {
      CommandLine commandLine = DataEventsCommand.commandLine();
      java.io.StringWriter out = new java.io.StringWriter();
      commandLine.setOut(new java.io.PrintWriter(out, true));
      assertThat(commandLine.execute(sub, "--version")).as(sub).isZero();
      assertThat(out.toString()).as(sub).isEqualTo(topOut.toString());
    }
  }

  @Test
  void theCommandListShowsEachCommandsWholeSummaryOnItsLine() {
    CommandLine top = DataEventsCommand.commandLine();
    String list = new CommandLine.Help(top.getCommandSpec()).commandList();
    for (CommandLine sub : top.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      // As picocli picks it: the header's first line, else the description's (ours).
      String[] header = spec.usageMessage().header();
      String summary = header.length > 0 ? header[0] : spec.usageMessage().description()[0];
      assertThat(summary).as("summary of %s", spec.name()).endsWith(".");
      assertThat(list.lines())
          .as("the line of %s in:%n%s", spec.name(), list)
          .contains("  " + pad(spec.name(), list) + summary);
    }
  }

  /** A script calling any command can tell a failed job from a usage error by --help alone. */
  @Test
  void everyCommandsHelpListsItsExitCodes() {
    for (CommandLine command : commands()) {
      String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      String name = command.getCommandSpec().qualifiedName();
      assertThat(usage)
          .as("--help of %s", name)
          .contains("\nExit codes:\n")
          .containsPattern("\n  1 +\\S")
          .containsPattern("\n  2 +wrong options");
      if (command.getCommand() instanceof StreamCommand) {
        // A stream ends only when stopped: the signal's code, not 0.
        assertThat(usage).as("--help of %s", name).containsPattern("\n  130 +stopped");
      } else {
        assertThat(usage).as("--help of %s", name).containsPattern("\n  0 +success");
      }
    }
  }

  /** Every command's summary is a sentence of its own, apart from the text that follows. */
  @Test
  void eachCommandsSummaryStandsAlone() {
    for (CommandLine command : commands()) {
      String[] description = command.getCommandSpec().usageMessage().description();
      if (description.length > 1) {
        assertThat(description[1])
            .as("the line after the summary of %s", command.getCommandName())
            .isEmpty();
      }
    }
  }

  /** The check itself: it passes what picocli wraps and finds breaks made by hand. */
  @Test
  void theCheckTellsPicocliWrappingFromHandMadeBreaks() {
    String paragraph =
        "Reads JSON Lines files of events (gzip or not) in Flink BATCH mode and writes"
            + " summaries, listings and rejections to the output folder, staged and moved into"
            + " place only when the job succeeds.";
    CommandSpec wrapped = CommandSpec.create().name("x");
    wrapped.usageMessage().description(paragraph);
    CommandSpec byHand = CommandSpec.create().name("x");
    byHand.usageMessage().description(paragraph.split("(?<=mode,?) "));
    for (int width : new int[] {60, 80, 100}) {
      wrapped.usageMessage().width(width);
      byHand.usageMessage().width(width);
      assertThat(problems(new CommandLine.Help(wrapped).description(), width)).isEmpty();
      assertThat(problems(new CommandLine.Help(byHand).description(), width)).isNotEmpty();
    }
    assertThat(problems("  summaries/  one summary per contact\n  listings/   pages\n", 80))
        .as("a list")
        .isEmpty();
    assertThat(problems("  listings/   pages of each contact's events of the 90\ndays\n", 80))
        .as("a list row wrapped to the margin")
        .isNotEmpty();
  }

  private static List<CommandLine> commands() {
    List<CommandLine> all = new ArrayList<>();
    collect(DataEventsCommand.commandLine(), all);
    return all;
  }

  /** Ours, not picocli's own help command (whose text picocli writes). */
  private static void collect(CommandLine command, List<CommandLine> all) {
    if (command.getCommand() instanceof CommandLine.HelpCommand) {
      return;
    }
    all.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, all));
  }

  private static String usageWithoutSynopsis(CommandLine command) {
    List<String> keys = new ArrayList<>(command.getHelpSectionKeys());
    keys.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
    keys.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS);
    command.setHelpSectionKeys(keys);
    return command.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  /** The name and the spaces after it, as the command list shows them. */
  private static String pad(String name, String list) {
    for (String line : list.lines().toList()) {
      if (line.startsWith("  " + name + " ")) {
        String rest = line.substring(2 + name.length());
        return name + rest.substring(0, rest.length() - rest.stripLeading().length());
      }
    }
    return name;
  }

  /**
   * Lines that picocli would not have laid out so: wider than the width, or a line that continues
   * the one before it although the first word of it would have fitted there (a hand-made break), or
   * a line at the margin right after an indented one (a list row too long, wrapped to the margin,
   * or a paragraph with no blank line before it).
   */
  static List<String> problems(String usage, int width) {
    List<String> problems = new ArrayList<>();
    List<String> lines = usage.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.length() > width) {
        problems.add("wider than " + width + ": '" + line + "'");
      }
      String previous = i == 0 ? "" : lines.get(i - 1);
      if (previous.isBlank()
          || line.isBlank()
          || ITEM.matcher(line).matches()
          || BARE_OPTION.matcher(previous).matches()) {
        continue;
      }
      if (indent(line) == 0 && indent(previous) > 0) {
        problems.add("at the margin after an indented line: '" + previous + "' / '" + line + "'");
        continue;
      }
      // picocli moves a word to the next line when it does not fit with the space after it.
      String word = line.strip().split(" ", 2)[0];
      if (previous.stripTrailing().length() + 1 + word.length() + 1 <= width) {
        problems.add("broken by hand: '" + previous + "' / '" + line + "'");
      }
    }
    return problems;
  }

  private static int indent(String line) {
    return line.length() - line.stripLeading().length();
  }
}
