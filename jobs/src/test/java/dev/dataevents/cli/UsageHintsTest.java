package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A misspelled command or option is named, with the one that was probably meant. */
class UsageHintsTest {
  private static String error(String... args) {
    CommandLine commandLine = DataEventsCommand.commandLine();
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));
    assertThat(commandLine.execute(args)).isEqualTo(DataEventsCommand.EXIT_USAGE);
    return err.toString();
  }

  @Test
  void aMisspelledOptionTakenAsAnInputPathIsNamed() {
    assertThat(error("backfill", "--input", "in.jsonl", "--ouput", "out"))
        .isEqualTo(
            "error: Missing required option: '--output=DIR' ('--ouput' is no option of backfill:"
                + " did you mean --output?) (see 'data-events backfill --help')\n");
  }

  @Test
  void anUnknownOptionGetsTheNearestName() {
    assertThat(error("backfill", "--inptu", "in.jsonl", "--output", "out"))
        .startsWith("error: Unknown options: '--inptu', 'in.jsonl'")
        .contains("('--inptu' is no option of backfill: did you mean --input?)");
  }

  @Test
  void aMisspelledCommandGetsTheNearestCommand() {
    assertThat(error("backfil", "--input", "in.jsonl", "--output", "out"))
        .contains("('backfil' is no command: did you mean backfill?)")
        .contains("(see 'data-events --help')");
  }

  @Test
  void nothingIsSuggestedWhenNothingIsNear() {
    assertThat(error("backfill", "--input", "in.jsonl", "--zzzzzzzz", "out"))
        .contains("('--zzzzzzzz' is no option of backfill)")
        .doesNotContain("did you mean");
  }

  @Test
  void aValueThatLooksLikeAnOptionIsTheOptionsOwn() {
    assertThat(
            error(
                "backfill",
                "--workspace",
                "--ws",
                "--input",
                "in.jsonl",
                "--output",
                "out",
                "--parallelism",
                "0"))
        .startsWith("error: Invalid value for option '--parallelism'")
        .doesNotContain("--ws' is no option");
  }

  @Test
  void aMisspelledCommandAfterTheCommandsOwnOptionsIsFound() {
    assertThat(error("--jobmanager", "h:1", "backfil", "--input", "x"))
        .contains("('backfil' is no command: did you mean backfill?)");
  }

  @Test
  void aLongWordGetsNoShortOptionSuggested() {
    assertThat(error("backfill", "--input", "in.jsonl", "--=", "out")).doesNotContain("-V?");
  }
}
