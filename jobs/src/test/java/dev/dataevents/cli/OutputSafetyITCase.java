package dev.dataevents.cli;

import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.io.OutputFolder;
import dev.dataevents.io.RefusedPathException;
import dev.dataevents.job.BoundedRun;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.FolderSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
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

  /**
   * Runs the command in {@code workDir} and returns its one line on stderr, having checked that it
   * was refused (exit code 2) and that nothing under work/ changed.
   */
  private String refusal(Path workDir, String... args) throws Exception {
    Path work = tmp.resolve("work");
    Map<String, String> before = FolderSnapshot.of(work);

    CommandProcess.Result result = CommandProcess.run(workDir, tmp.resolve("scratch"), args);

    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
    assertThat(result.stderr().lines()).hasSize(1);
    assertThat(FolderSnapshot.of(work)).isEqualTo(before);
    return result.stderr().strip();
  }

  @Test
  void overwriteRefusesAnOutputFolderThatHoldsTheInputFile() throws Exception {
    Path work = exports().getParent();

    assertThat(
            refusal(
                work,
                "backfill",
                "--input",
                "exports/jan.jsonl",
                "--output",
                "exports",
                "--overwrite",
                "--as-of",
                "2026-11-01"))
        .startsWith("error: --output ")
        .contains("--input");
  }

  @Test
  void overwriteRefusesTheCurrentFolderWhenItHoldsTheInput() throws Exception {
    Path exports = exports();

    assertThat(
            refusal(
                exports,
                "backfill",
                "--input",
                "jan.jsonl",
                "--output",
                ".",
                "--overwrite",
                "--as-of",
                "2026-11-01"))
        .startsWith("error: --output ");
  }

  @Test
  void aNumericOptionOutOfBoundsIsAOneLineErrorWithExitCode2() throws Exception {
    Path work = exports().getParent();

    assertThat(
            refusal(
                work,
                "backfill",
                "--input",
                "exports/jan.jsonl",
                "--output",
                "out",
                "--max-future",
                "9223372036854775807"))
        .startsWith("error: ")
        .contains("--max-future", "'9223372036854775807'", "36500d");
  }

  @Test
  void aKilledRunsStagingFolderIsLeftAloneWhileItRunsAndRemovedByTheNextRun() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path input = work.resolve("big.jsonl");
    EventGenerator.write(input, 60_000, 7);
    Path out = work.resolve("out");
    Path scratch = tmp.resolve("scratch");
    Files.createDirectories(scratch);
    Process first =
        CommandProcess.start(
            work,
            scratch,
            scratch.resolve("first.out"),
            scratch.resolve("first.err"),
            "backfill",
            "--input",
            input.toString(),
            "--output",
            out.toString(),
            "--as-of",
            "2026-11-01",
            "--parallelism",
            "1");
    try {
      Path staging = stagingOf(out, first);

      // Another run to the same output meanwhile is refused, and leaves the live run's staging
      // folder alone.
      assertThatThrownBy(() -> OutputFolder.prepare(out, false, BoundedRun.LAYOUT, "events"))
          .isInstanceOf(RefusedPathException.class)
          .hasMessageContaining("is being written by another run now");
      assertThat(staging).isDirectory();

      CommandProcess.kill(first);
      assertThat(staging).as("what SIGKILL leaves behind").isDirectory();

      CommandProcess.Result next =
          CommandProcess.run(
              work,
              scratch,
              "backfill",
              "--input",
              sampleData().resolve("events.jsonl").toAbsolutePath().toString(),
              "--output",
              out.toString(),
              "--as-of",
              "2026-11-01");
      assertThat(next.exitCode()).as(next.stderr()).isZero();
      assertThat(staging).doesNotExist();
      try (Stream<Path> siblings = Files.list(work)) {
        assertThat(siblings.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("big.jsonl", "out");
      }
    } finally {
      CommandProcess.kill(first);
    }
  }

  /** The staging folder of a run, once it has created it. */
  private static Path stagingOf(Path out, Process run) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(run.isAlive()).as("the first run is still running").isTrue();
      try (Stream<Path> siblings = Files.list(out.getParent())) {
        Optional<Path> staging =
            siblings
                .filter(p -> p.getFileName().toString().matches("\\.out\\.staging-[0-9a-f]{8}"))
                .findFirst();
        if (staging.isPresent()) {
          return staging.get();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no staging folder within 60 s");
  }
}
