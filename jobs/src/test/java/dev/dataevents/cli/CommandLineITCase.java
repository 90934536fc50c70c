package dev.dataevents.cli;

import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.MiniCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as users meet it: exit codes and one-line errors, no stack traces. */
class CommandLineITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = DataEventsCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private String[] backfill(Path output, String... more) {
    String[] base = {
      "backfill",
      "--input",
      sampleData().resolve("events.jsonl").toString(),
      "--summaries",
      sampleData().resolve("summaries.jsonl").toString(),
      "--output",
      output.toString(),
      "--as-of",
      "2026-11-01T00:00:00Z",
      "--parallelism",
      "2"
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return args;
  }

  @Test
  void backfillWritesTheOutputAndAnExistingOutputIsRefusedUnlessOverwrite() throws Exception {
    Path output = tmp.resolve("out");
    assertThat(run(backfill(output))).isZero();
    assertThat(output.resolve("report.json")).exists();
    assertThat(Files.readString(output.resolve("report.json")))
        .contains("\"reference_time\" : 1793491200");

    assertThat(run(backfill(output))).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: --output: "
                + output
                + " exists and is not empty (add --overwrite to replace it)"
                + System.lineSeparator());

    assertThat(run(backfill(output, "--overwrite"))).isZero();
  }

  @Test
  void aMissingInputIsAOneLineErrorWithExitCode2() {
    int code =
        run(
            "backfill",
            "--input",
            tmp.resolve("missing.jsonl").toString(),
            "--output",
            tmp.resolve("o").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("error: --input: no such file");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void wrongOptionsAreOneLineErrorsWithExitCode2() {
    assertThat(run("backfill", "--bogus")).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1);
    err.getBuffer().setLength(0);

    assertThat(run(backfill(tmp.resolve("o"), "--per-page", "0"))).isEqualTo(2);
    assertThat(err.toString()).contains("--per-page must be 1 or more").doesNotContain("Exception");
    err.getBuffer().setLength(0);

    assertThat(run(backfill(tmp.resolve("o"), "--as-of", "yesterday"))).isEqualTo(2);
    assertThat(err.toString()).contains("'yesterday'").doesNotContain("\tat ");
    err.getBuffer().setLength(0);

    assertThat(run(backfill(tmp.resolve("o"), "--workspace", "no spaces"))).isEqualTo(2);
    assertThat(err.toString().lines()).hasSize(1);
    err.getBuffer().setLength(0);

    assertThat(run("frobnicate")).isEqualTo(2);
  }

  @Test
  void helpExplainsEveryOption() {
    assertThat(run("backfill", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--input",
            "--output",
            "--summaries",
            "--as-of",
            "--workspace",
            "--per-page",
            "--max-metadata-keys",
            "--max-future",
            "--duplicates",
            "--parallelism",
            "--overwrite",
            "--max-line-bytes",
            "--verbose",
            "Exit codes");
    out.getBuffer().setLength(0);
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("backfill");
  }
}
