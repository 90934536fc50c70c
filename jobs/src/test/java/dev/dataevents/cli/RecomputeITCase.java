package dev.dataevents.cli;

import static dev.dataevents.testing.OutputFiles.files;
import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** recompute as a scheduler runs it: from archives of events, atomically, repeatably. */
class RecomputeITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final String AS_OF = "2026-11-01T00:00:00Z";

  @TempDir Path tmp;

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = DataEventsCommand.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path backfill(Path input, String name) {
    Path out = tmp.resolve(name);
    assertThat(
            run(
                "backfill",
                "--input",
                input.toString(),
                "--output",
                out.toString(),
                "--as-of",
                AS_OF,
                "--parallelism",
                "2"))
        .isZero();
    return out;
  }

  @Test
  void recomputingABackfillsEventsGivesExactlyItsSummariesAndListings() throws Exception {
    Path input = tmp.resolve("export.jsonl");
    EventGenerator.write(input, 5000, 11);
    Path backfill = backfill(input, "backfill");
    Path recomputed = tmp.resolve("recomputed");
    assertThat(
            run(
                "recompute",
                "--archive",
                backfill.toString(),
                "--output",
                recomputed.toString(),
                "--as-of",
                AS_OF,
                "--parallelism",
                "2"))
        .isZero();
    assertThat(files(recomputed.resolve("summaries")))
        .isEqualTo(files(backfill.resolve("summaries")));
    assertThat(files(recomputed.resolve("listings")))
        .isEqualTo(files(backfill.resolve("listings")));
    assertThat(recomputed.resolve("events")).doesNotExist();
    assertThat(Files.readString(recomputed.resolve("report.json")))
        .contains("\"duplicates\" : 0", "\"rejected\" : 0");
  }

  @Test
  void overlappingArchivesCountEachEventOnce() throws Exception {
    Path a = backfill(sampleData().resolve("events.jsonl"), "a");
    // A second run over the same file plus more: its archive overlaps the first.
    Path more = tmp.resolve("more");
    Files.createDirectories(more);
    Files.copy(sampleData().resolve("events.jsonl"), more.resolve("events.jsonl"));
    Files.writeString(
        more.resolve("extra.jsonl"),
        "{\"workspace_id\":\"ws_9\",\"event_name\":\"x\",\"created_at\":1793000000,\"user_id\":\"n\"}\n");
    Path b = backfill(more, "b");
    Path both = backfill(more, "both-reference");

    Path recomputed = tmp.resolve("recomputed");
    assertThat(
            run(
                "recompute",
                "--archive",
                a.resolve("events").toString(),
                b.toString(),
                "--output",
                recomputed.toString(),
                "--as-of",
                AS_OF,
                "--parallelism",
                "2"))
        .isZero();
    String report = Files.readString(recomputed.resolve("report.json"));
    assertThat(report).contains("\"input_records\" : 17", "\"accepted\" : 9", "\"duplicates\" : 8");
    assertThat(files(recomputed.resolve("summaries"))).isEqualTo(files(both.resolve("summaries")));
    assertThat(recomputed.resolve("duplicates")).doesNotExist();
  }

  @Test
  void duplicatesAcrossArchivesAreWrittenOutWhenAsked() throws Exception {
    Path a = backfill(sampleData().resolve("events.jsonl"), "a");
    Path b = backfill(sampleData().resolve("events.jsonl"), "b");
    Path recomputed = tmp.resolve("recomputed");
    assertThat(
            run(
                "recompute",
                "--archive",
                a.toString(),
                b.toString(),
                "--output",
                recomputed.toString(),
                "--as-of",
                AS_OF,
                "--duplicates",
                "--parallelism",
                "2"))
        .isZero();
    List<String> duplicates = lines(recomputed, "duplicates");
    String report = Files.readString(recomputed.resolve("report.json"));
    // Every event of the second archive repeats one of the first, which wins (smaller path).
    assertThat(report).contains("\"duplicates\" : " + duplicates.size());
    assertThat(duplicates)
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d).contains("b/events/").contains("a/events/"));
  }

  @Test
  void overwriteReplacesTheOutputAtomicallyAndOnlyWithIt() throws Exception {
    Path backfill = backfill(sampleData().resolve("events.jsonl"), "backfill");
    Path out = tmp.resolve("current");
    String[] args = {
      "recompute", "--archive", backfill.toString(), "--output", out.toString(), "--as-of", AS_OF
    };
    assertThat(run(args)).isZero();
    Map<String, String> first = files(out);

    // Without --overwrite an existing output is refused, untouched.
    assertThat(run(args)).isEqualTo(2);
    assertThat(files(out)).isEqualTo(first);

    // Bad archive lines are rejected, not a failure; the new output replaces the old whole.
    // (A failing job leaves the old output as it was: BackfillITCase, same code path.)
    Path gone = tmp.resolve("gone");
    Files.createDirectories(gone.resolve("events"));
    Files.writeString(
        gone.resolve("events/part-00000.jsonl"), "{\"x\":\"" + "y".repeat(1100) + "\"}\n");
    String[] failing = {
      "recompute",
      "--archive",
      gone.toString(),
      "--output",
      out.toString(),
      "--as-of",
      AS_OF,
      "--overwrite",
      "--max-line-bytes",
      "1024"
    };
    assertThat(run(failing)).isZero(); // a bad line is rejected, not a failure
    assertThat(lines(out, "rejected")).singleElement().asString().contains("line_too_long");

    assertThat(run(List.of(args).toArray(String[]::new))).isEqualTo(2);
    String[] again = {
      "recompute",
      "--archive",
      backfill.toString(),
      "--output",
      out.toString(),
      "--as-of",
      AS_OF,
      "--overwrite"
    };
    assertThat(run(again)).isZero();
    assertThat(files(out).keySet()).isEqualTo(first.keySet());
    try (var siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void anArchiveKeptUnderAFolderNamedEventsReadsOnlyItsOwnEventsFolder() throws Exception {
    // The archive lies in <tmp>/events/run1: every file's absolute path passes through a folder
    // named events, yet only run1's events/ holds events.
    Path input = tmp.resolve("export.jsonl");
    EventGenerator.write(input, 500, 5);
    Path archive = tmp.resolve("events/run1");
    Files.createDirectories(archive.getParent());
    assertThat(
            run(
                "backfill",
                "--input",
                input.toString(),
                "--output",
                archive.toString(),
                "--as-of",
                AS_OF,
                "--parallelism",
                "2"))
        .isZero();
    long accepted = lines(archive, "events").size();
    assertThat(lines(archive, "rejected")).isNotEmpty();

    Path recomputed = tmp.resolve("recomputed");
    assertThat(
            run(
                "recompute",
                "--archive",
                archive.toString(),
                "--output",
                recomputed.toString(),
                "--as-of",
                AS_OF,
                "--parallelism",
                "2"))
        .isZero();
    assertThat(Files.readString(recomputed.resolve("report.json")))
        .contains(
            "\"input_records\" : " + accepted + ",",
            "\"accepted\" : " + accepted + ",",
            "\"rejected\" : 0,");
    assertThat(files(recomputed.resolve("summaries")))
        .isEqualTo(files(archive.resolve("summaries")));
  }

  @Test
  void withoutAsOfTheReferenceTimeIsTheRunsStartAsInABackfill() throws Exception {
    Path backfill = backfill(sampleData().resolve("events.jsonl"), "backfill");
    Path out = tmp.resolve("now");
    long before = System.currentTimeMillis() / 1000;
    assertThat(run("recompute", "--archive", backfill.toString(), "--output", out.toString()))
        .isZero();
    long after = System.currentTimeMillis() / 1000;
    String report = Files.readString(out.resolve("report.json"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"reference_time\" : (\\d+)").matcher(report);
    assertThat(m.find()).isTrue();
    assertThat(Long.parseLong(m.group(1))).isBetween(before, after);
    // Archived events are no further in the future of a later reference time: none rejected.
    assertThat(report).contains("\"rejected\" : 0,");
  }
}
