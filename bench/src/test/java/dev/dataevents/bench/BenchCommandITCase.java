package dev.dataevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end on real processes: the job through bin/data-events (built by the time
 * failsafe runs) and the baseline, on a small generated input, one pair. (The sample run differs
 * only in its command: BenchCommandTest.)
 */
class BenchCommandITCase {
  /** Failsafe runs in the module's folder. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static int run(Path dir, ByteArrayOutputStream text, String... args) throws Exception {
    String[] all =
        Stream.concat(Stream.of("--dir", dir.toString()), Stream.of(args)).toArray(String[]::new);
    try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
      return new BenchCommand(BenchOptions.parse(all), ROOT, out).run();
    }
  }

  @Test
  void comparesTheJobWithTheBaselineOnAGeneratedInputAndCleansUp(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();

    int exit = run(dir, text, "--events", "400", "--runs", "1", "--warmups", "0");

    String report = text.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(report).isZero();
    assertThat(report)
        .contains("generating 400 events")
        .containsPattern("run 1 +job +[0-9.]+ s wall +[0-9.]+ s CPU +[0-9]+ MiB peak RSS")
        .containsPattern("run 1 +baseline +[0-9.]+ s wall")
        .containsPattern("job/baseline +[0-9.]+x of medians")
        .contains("pair by pair: wall ")
        .containsPattern("wall <= 1.0x the baseline +[0-9.]+x +(met|NOT MET)")
        .containsPattern("CPU <= 2.0x the baseline +[0-9.]+x +(met|NOT MET)")
        .containsPattern("job peak RSS <= 1 GiB +[0-9]+ MiB +(met|NOT MET)");
    // The input stays cached for the next run; the job's output and the logs are gone.
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactly("events-v1-400-seed7-asof1793491200.jsonl");
    }
    assertThat(Files.readAllLines(dir.resolve("events-v1-400-seed7-asof1793491200.jsonl")))
        .hasSize(400);
  }

  @Test
  void theFloorRunsTheJobOnTrivialEventsAndTheBaselineOnTheExport(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();

    int exit = run(dir, text, "--floor", "--events", "300", "--runs", "1", "--warmups", "0");

    String report = text.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(report).isZero();
    Path export = dir.resolve("events-v1-300-seed7-asof1793491200.jsonl");
    Path floor = dir.resolve("floor-v1-300-seed7-asof1793491200.jsonl");
    assertThat(report)
        .contains("generating 300 trivial events (the floor)")
        .contains("job: " + ROOT.resolve("bin/data-events") + " backfill --input " + floor)
        .containsPattern("baseline: .* " + export + "\n")
        .containsPattern("floor/baseline +[0-9.]+x of medians")
        .containsPattern("wall <= 1.0x the baseline +floor [0-9.]+x +(within reach|OUT OF REACH)");
    // The job found every trivial event accepted.
    assertThat(report).contains("300 records: 300 accepted, 0 duplicates, 0 rejected");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactlyInAnyOrder(export, floor);
    }
  }

  @Test
  void aFailingJobIsReportedWithTheEndOfItsOutput(@TempDir Path dir) throws Exception {
    Path notJson = Files.writeString(dir.resolve("input.jsonl"), "{}\n");
    ByteArrayOutputStream text = new ByteArrayOutputStream();

    // An option the launcher's JVM refuses: the job cannot start.
    int exit =
        run(dir, text, "--file", notJson.toString(), "--runs", "1", "--java-opts", "-Xbogus");

    String report = text.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(1);
    assertThat(report).contains("job failed with exit code").contains("Xbogus");
  }
}
