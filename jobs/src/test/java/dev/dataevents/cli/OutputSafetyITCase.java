package dev.dataevents.cli;

import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.FolderSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool deletes nothing it did not write, seen as users run it (a real process, its exit code
 * and its stderr): an output that holds an input is refused before anything is created or deleted.
 */
class OutputSafetyITCase {
  @TempDir Path tmp;

  private Path exports() throws Exception {
    Path exports = tmp.resolve("work/exports");
    Files.createDirectories(exports);
    List<String> events = Files.readAllLines(sampleData().resolve("events.jsonl"));
    Files.write(exports.resolve("jan.jsonl"), events.subList(0, 3), StandardCharsets.UTF_8);
    Files.writeString(exports.resolve("notes.txt"), "not an export\n");
    return exports;
  }

  @Test
  void overwriteRefusesAnOutputFolderThatHoldsTheInputFile() throws Exception {
    Path exports = exports();
    Path work = exports.getParent();
    Map<String, String> before = FolderSnapshot.of(work);

    CommandProcess.Result result =
        CommandProcess.run(
            work,
            tmp.resolve("scratch"),
            "backfill",
            "--input",
            "exports/jan.jsonl",
            "--output",
            "exports",
            "--overwrite",
            "--as-of",
            "2026-11-01");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().lines())
        .singleElement()
        .asString()
        .startsWith("error: --output ")
        .contains("--input");
    assertThat(FolderSnapshot.of(work)).isEqualTo(before);
  }

  @Test
  void overwriteRefusesTheCurrentFolderWhenItHoldsTheInput() throws Exception {
    Path exports = exports();
    Path work = exports.getParent();
    Map<String, String> before = FolderSnapshot.of(work);

    CommandProcess.Result result =
        CommandProcess.run(
            exports,
            tmp.resolve("scratch"),
            "backfill",
            "--input",
            "jan.jsonl",
            "--output",
            ".",
            "--overwrite",
            "--as-of",
            "2026-11-01");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().lines()).singleElement().asString().startsWith("error: --output ");
    assertThat(FolderSnapshot.of(work)).isEqualTo(before);
  }

  @Test
  void aNumericOptionOutOfBoundsIsAOneLineErrorWithExitCode2() throws Exception {
    Path exports = exports();
    Path work = exports.getParent();
    Map<String, String> before = FolderSnapshot.of(work);

    CommandProcess.Result result =
        CommandProcess.run(
            work,
            tmp.resolve("scratch"),
            "backfill",
            "--input",
            "exports/jan.jsonl",
            "--output",
            "out",
            "--max-future",
            "9223372036854775807");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr().lines())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains("--max-future", "'9223372036854775807'", "36500d");
    assertThat(FolderSnapshot.of(work)).isEqualTo(before);
  }
}
