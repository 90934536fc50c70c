package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.files;
import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;

import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.Schemas;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Whole backfills on a Flink mini-cluster, at parallelism 1 and 2. */
class BackfillITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path tmp;

  private static final Path EVENTS = sampleData().resolve("events.jsonl");
  private static final Path SUMMARIES = sampleData().resolve("summaries.jsonl");

  private static Backfills sample() {
    return Backfills.of(EVENTS).summaries(SUMMARIES);
  }

  @Test
  void sampleDataGivesTheDocumentedCounts() throws Exception {
    Path out = tmp.resolve("out");
    RunReport report = sample().run(out);

    assertThat(report.count(Counters.INPUT_RECORDS)).isEqualTo(34);
    assertThat(report.count(Counters.ACCEPTED)).isEqualTo(11);
    assertThat(report.count(Counters.DUPLICATES)).isEqualTo(2);
    assertThat(report.count(Counters.REJECTED)).isEqualTo(21);
    assertThat(report.count(Counters.BLANK_LINES)).isEqualTo(1);
    assertThat(report.count(Counters.METADATA_KEYS_DROPPED)).isEqualTo(3);
    assertThat(report.count(Counters.METADATA_VALUES_TRUNCATED)).isEqualTo(1);
    assertThat(report.count(Counters.SUMMARY_RECORDS_IMPORTED)).isEqualTo(3);
    assertThat(report.count(Counters.CONTACTS)).isEqualTo(5);
    assertThat(report.count(Counters.SUMMARIES)).isEqualTo(5);
    assertThat(report.count(Counters.LISTING_PAGES)).isEqualTo(4);
    assertThat(report.rejectedByReason())
        .containsOnly(
            entry("created_at_in_future", 1L),
            entry("created_at_in_milliseconds", 1L),
            entry("invalid_created_at", 2L),
            entry("invalid_event_name", 1L),
            entry("invalid_event_summaries", 2L),
            entry("invalid_identifier", 1L),
            entry("invalid_json", 2L),
            entry("invalid_metadata", 1L),
            entry("invalid_metadata_key", 1L),
            entry("invalid_metadata_value", 5L),
            entry("invalid_workspace_id", 1L),
            entry("missing_event_name", 1L),
            entry("missing_identifier", 1L),
            entry("not_an_object", 1L));

    assertThat(lines(out, "events")).hasSize(8);
    assertThat(lines(out, "summaries")).hasSize(5);
    assertThat(lines(out, "listings")).hasSize(4);
    assertThat(lines(out, "rejected")).hasSize(21);
    assertThat(out.resolve("duplicates")).doesNotExist();
    assertThat(Files.readString(out.resolve("report.json")))
        .contains("\"input_records\" : 34", "\"reference_time\" : 1793491200");
  }

  @Test
  void eachRejectionNamesItsReasonFieldSourceAndLine() throws Exception {
    Path out = tmp.resolve("out");
    sample().run(out);
    Map<Long, String> byLine = new TreeMap<>();
    for (String line : lines(out, "rejected")) {
      if (line.contains("\"source\":\"" + EVENTS.normalize() + "\"")) {
        byLine.put(Long.parseLong(line.replaceAll(".*\"line\":(\\d+).*", "$1")), line);
      }
    }
    assertThat(byLine.keySet())
        .containsExactly(
            9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L, 26L,
            27L);
    assertThat(byLine.get(9L))
        .contains("\"status\":400,\"reason\":\"invalid_json\",\"field\":null");
    assertThat(byLine.get(11L))
        .contains("\"reason\":\"created_at_in_milliseconds\",\"field\":\"created_at\"");
    assertThat(byLine.get(14L)).contains("\"reason\":\"missing_identifier\",\"field\":null");
    assertThat(byLine.get(17L))
        .contains("\"reason\":\"invalid_metadata_key\",\"field\":\"metadata.price.usd\"");
    assertThat(byLine.get(23L))
        .contains("\"reason\":\"invalid_metadata_value\",\"field\":\"metadata.renewal_date\"");
    List<String> eventLines = Files.readAllLines(EVENTS, StandardCharsets.UTF_8);
    assertThat(byLine.get(22L))
        .contains("\"reason\":\"invalid_json\"")
        .endsWith(
            "\"raw\":"
                + org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.TextNode
                    .valueOf(eventLines.get(21))
                + "}");
  }

  @Test
  void everyOutputLineAndTheReportValidateAgainstTheSchemas() throws Exception {
    Path out = tmp.resolve("out");
    sample().duplicates().run(out);
    Map<String, String> schemaOf =
        Map.of(
            "events", "accepted-event.schema.json",
            "summaries", "event-summary.schema.json",
            "listings", "event-list.schema.json",
            "rejected", "rejection.schema.json",
            "duplicates", "duplicate.schema.json");
    schemaOf.forEach(
        (folder, schema) -> {
          assertThat(lines(out, folder)).as(folder).isNotEmpty();
          lines(out, folder).forEach(line -> Schemas.assertValid(schema, line));
        });
    // Accepted events are re-readable as input.
    lines(out, "events").forEach(line -> Schemas.assertValid("event.schema.json", line));
    Schemas.assertValid("report.schema.json", Files.readString(out.resolve("report.json")));
  }

  @Test
  void acceptedEventsReadBackAsInputAreAllAcceptedAgain() throws Exception {
    Path first = tmp.resolve("first");
    sample().run(first);
    Path second = tmp.resolve("second");
    RunReport again = Backfills.of(first.resolve("events")).run(second);
    assertThat(again.count(Counters.ACCEPTED)).isEqualTo(8);
    assertThat(again.count(Counters.REJECTED)).isZero();
    assertThat(sorted(lines(second, "events"))).isEqualTo(sorted(lines(first, "events")));
  }

  @Test
  void parallelismOneAndTwoGiveTheSameRecords() throws Exception {
    Path one = tmp.resolve("p1");
    Path two = tmp.resolve("p2");
    RunReport r1 = sample().duplicates().parallelism(1).run(one);
    RunReport r2 = sample().duplicates().parallelism(2).run(two);
    for (String folder : List.of("events", "summaries", "listings", "rejected", "duplicates")) {
      assertThat(sorted(lines(two, folder))).as(folder).isEqualTo(sorted(lines(one, folder)));
    }
    assertThat(r2.rejectedByReason()).isEqualTo(r1.rejectedByReason());
    assertThat(r2.count(Counters.ACCEPTED)).isEqualTo(r1.count(Counters.ACCEPTED));
  }

  @Test
  void aRerunIsByteIdenticalButForTheReportsTimes() throws Exception {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    sample().duplicates().run(first);
    sample().duplicates().run(second);
    Map<String, String> a = files(first);
    Map<String, String> b = files(second);
    assertThat(a.keySet()).isEqualTo(b.keySet()).contains("report.json");
    for (String name : a.keySet()) {
      if (name.equals("report.json")) {
        assertThat(withoutTimes(b.get(name))).isEqualTo(withoutTimes(a.get(name)));
      } else {
        assertThat(b.get(name)).as(name).isEqualTo(a.get(name));
      }
    }
  }

  @Test
  void gzipAndFoldersReadTheSameAsThePlainFile() throws Exception {
    Path input = tmp.resolve("input");
    Files.createDirectories(input.resolve("2026"));
    try (OutputStream gz =
        new GZIPOutputStream(Files.newOutputStream(input.resolve("2026/events.jsonl.gz")))) {
      gz.write(Files.readAllBytes(EVENTS));
    }
    Files.writeString(input.resolve("2026/.hidden.jsonl"), "not read\n");
    Path plain = tmp.resolve("plain");
    Path zipped = tmp.resolve("zipped");
    Backfills.of(EVENTS).run(plain);
    RunReport report = Backfills.of(input).run(zipped);
    assertThat(report.count(Counters.INPUT_RECORDS)).isEqualTo(28);
    for (String folder : List.of("events", "summaries", "listings")) {
      assertThat(sorted(lines(zipped, folder))).isEqualTo(sorted(lines(plain, folder)));
    }
    assertThat(lines(zipped, "rejected"))
        .allSatisfy(line -> assertThat(line).contains("2026/events.jsonl.gz"));
  }

  @Test
  void duplicatesAcrossFilesKeepTheCopyOfTheSmallestSourcePath() throws Exception {
    Path input = tmp.resolve("input");
    Files.createDirectories(input);
    String event =
        "{\"workspace_id\":\"ws_1\",\"event_name\":\"placed-order\",\"created_at\":1793000000,"
            + "\"user_id\":\"u1\",\"metadata\":{\"copy\":\"%s\"}}\n";
    Files.writeString(input.resolve("b.jsonl"), String.format(event, "b1"));
    Files.writeString(
        input.resolve("a.jsonl"), "\n" + String.format(event, "a2") + String.format(event, "a3"));
    Path out = tmp.resolve("out");
    RunReport report = Backfills.of(input).duplicates().run(out);
    assertThat(report.count(Counters.DUPLICATES)).isEqualTo(2);
    assertThat(lines(out, "events")).singleElement().asString().contains("\"copy\":\"a2\"");
    assertThat(lines(out, "duplicates"))
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "\"duplicate_of\":{\"source\":\""
                            + input.resolve("a.jsonl")
                            + "\",\"line\":2}"));
  }

  /**
   * At parallelism 2 both files are read at once, so a contact's copies reach its subtask in no
   * fixed order; BATCH's sort by key and input position puts them in input order before the contact
   * function sees them. Every identity keeps the copy of the smaller source path, and events are
   * written in input order.
   */
  @Test
  void manyDuplicatesAcrossFilesKeepTheFirstCopyInInputOrderAtParallelismTwo() throws Exception {
    Path input = tmp.resolve("input");
    Files.createDirectories(input);
    int n = 3000;
    String event =
        "{\"workspace_id\":\"ws_1\",\"event_name\":\"viewed-page\",\"created_at\":%d,"
            + "\"user_id\":\"%s\",\"metadata\":{\"copy\":\"%s\"}}";
    long base = 1_790_000_000L;
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) {
      a.add(String.format(event, base + i, "u1", "a" + i));
      a.add(String.format(event, base + i, "u2", "a" + i));
      expected.add(String.format(event, base + i, "u1", "a" + i));
    }
    for (int i = 0; i < n + 100; i++) {
      b.add(String.format(event, base + i, "u1", "b" + i));
      if (i >= n) {
        expected.add(String.format(event, base + i, "u1", "b" + i));
      }
    }
    Files.write(input.resolve("b.jsonl"), b);
    Files.write(input.resolve("a.jsonl"), a);
    Path out = tmp.resolve("out");

    RunReport report = Backfills.of(input).duplicates().parallelism(2).run(out);

    assertThat(report.count(Counters.DUPLICATES)).isEqualTo(n);
    assertThat(report.count(Counters.ACCEPTED)).isEqualTo(2L * n + 100);
    assertThat(lines(out, "events").stream().filter(line -> line.contains("\"u1\"")).toList())
        .containsExactlyElementsOf(expected);
    List<String> duplicates = lines(out, "duplicates");
    assertThat(duplicates).hasSize(n);
    for (int i = 0; i < n; i++) {
      // b.jsonl line i+1 repeats identity i, which a.jsonl holds at line 2 * (n - 1 - i) + 1.
      assertThat(duplicates.get(i))
          .contains("\"line\":" + (i + 1) + ",\"duplicate_of\":")
          .contains("\"line\":" + (2 * (n - 1 - i) + 1) + "}");
    }
  }

  @Test
  void aFailedRunLeavesThePreviousOutputUntouchedAndNoStagingBehind() throws Exception {
    Path out = tmp.resolve("out");
    sample().run(out);
    Map<String, String> before = files(out);

    Path input = tmp.resolve("input");
    Files.createDirectories(input);
    Path vanishing = input.resolve("vanishing.jsonl");
    Files.writeString(vanishing, "{}\n");
    Backfills run = Backfills.of(input).overwrite();
    // The file is found when the run is planned and gone when the job reads it.
    Files.delete(vanishing);
    Files.createDirectory(vanishing);

    assertThatThrownBy(() -> run.run(out)).isInstanceOf(Exception.class);
    assertThat(files(out)).isEqualTo(before);
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.startsWith(".out."));
    }
  }

  @Test
  void aFileThatVanishesBeforeTheJobReadsItIsNamedAsGivenNotAsAUri() throws Exception {
    Path input = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(input.resolve("kept.jsonl"), "{}\n");
    Path vanishing = Files.writeString(input.resolve("vanishing.jsonl"), "{}\n");
    // Named as users name it: relative to the working folder.
    Path given = Path.of("").toAbsolutePath().relativize(input);
    // Found when the run is planned, gone when the job starts.
    BoundedRun.Request request = Backfills.of(given).request(tmp.resolve("out"));
    Files.delete(vanishing);

    Throwable error = catchThrowable(() -> Backfills.run(request, new Configuration()));
    assertThat(error).isNotNull();
    while (error.getCause() != null) {
      error = error.getCause(); // what the command line shows
    }
    assertThat(error.getMessage())
        .contains(given.resolve("vanishing.jsonl").normalize().toString())
        .doesNotContain("file:");
  }

  @Test
  void aGeneratedExportCountsAsTheGeneratorKnowsAndParallelismDoesNotMatter() throws Exception {
    Path input = tmp.resolve("export.jsonl");
    EventGenerator generated = EventGenerator.write(input, 20_000, 42);
    Path one = tmp.resolve("p1");
    Path two = tmp.resolve("p2");
    RunReport r1 = Backfills.of(input).parallelism(1).run(one);
    RunReport r2 = Backfills.of(input).parallelism(2).run(two);
    for (RunReport r : List.of(r1, r2)) {
      assertThat(r.count(Counters.INPUT_RECORDS)).isEqualTo(generated.lines);
      assertThat(r.count(Counters.REJECTED)).isEqualTo(generated.bad);
      assertThat(r.count(Counters.DUPLICATES)).isEqualTo(generated.duplicates);
      assertThat(r.count(Counters.ACCEPTED)).isEqualTo(generated.identities.size());
      assertThat(r.balanced()).isTrue();
    }
    for (String folder : List.of("events", "summaries", "listings", "rejected")) {
      assertThat(sorted(lines(two, folder))).as(folder).isEqualTo(sorted(lines(one, folder)));
    }
  }

  @Test
  void listingPagesFollowPerPage() throws Exception {
    Path out = tmp.resolve("out");
    RunReport report = sample().perPage(1).run(out);
    // ws_1/314159 has 3 listed events, the email contact 2, two others 1 each.
    assertThat(report.count(Counters.LISTING_PAGES)).isEqualTo(7);
    assertThat(lines(out, "listings"))
        .filteredOn(l -> l.contains("\"user_id\":\"314159\""))
        .extracting(l -> l.replaceAll(".*(\"pages\":.*)", "$1"))
        .containsExactly(
            "\"pages\":{\"type\":\"pages\",\"page\":1,\"per_page\":1,\"total_pages\":3,\"next\":2}}",
            "\"pages\":{\"type\":\"pages\",\"page\":2,\"per_page\":1,\"total_pages\":3,\"next\":3}}",
            "\"pages\":{\"type\":\"pages\",\"page\":3,\"per_page\":1,\"total_pages\":3,\"next\":null}}");
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }

  private static String withoutTimes(String report) {
    return report.replaceAll("\"(started_at|finished_at|elapsed_ms)\" : [^,\\n]+", "\"$1\" : _");
  }
}
