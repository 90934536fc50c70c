package dev.dataevents.job;

import static dev.dataevents.testing.DatabaseReads.asJsonb;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.postgres.PostgresTarget;
import dev.dataevents.json.Json;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.DatabaseReads;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.OutputFiles;
import dev.dataevents.testing.Postgres;
import dev.dataevents.testing.Records;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill with a database answers the API's two reads exactly as its files hold them: for every
 * contact, {@code event_summary} equals its line in summaries/ and {@code event_list(..., p, 50)}
 * its page p in listings/, compared as jsonb (key order aside, numbers by value).
 */
class DatabaseBackfillITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir static Path serverDir;
  private static Postgres postgres;

  @TempDir Path tmp;

  @BeforeAll
  static void startPostgres() {
    postgres = Postgres.start(serverDir);
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  static RunReport backfill(Backfills backfill, Path output, Postgres postgres) throws Exception {
    DatabaseOutput database = new DatabaseOutput(PostgresTarget.of(postgres.url(), null, null));
    try (BoundedRun.Running running =
        BoundedRun.start(backfill.request(output), new Configuration(), database)) {
      return running.finish();
    }
  }

  /** Contacts by id and by email, names whose code point order is not UTF-16's, odd metadata. */
  static Path handWritten(Path dir) throws Exception {
    long t = Records.AS_OF - 5 * Records.DAY;
    Path file = dir.resolve("hand.jsonl");
    Files.write(
        file,
        List.of(
            "{\"workspace_id\":\"ws_0\",\"event_name\":\"zebra\",\"created_at\":"
                + t
                + ",\"id\":\"abc\",\"metadata\":{\"note\":\"tab\\there \\\"q\\\" \\\\ \\u00fc\","
                + "\"price\":1.50,\"big\":1e2,\"order_date\":1700000000}}",
            "{\"workspace_id\":\"ws_0\",\"event_name\":\"\\uff41-fullwidth\",\"created_at\":"
                + t
                + ",\"id\":\"abc\",\"email\":\"Ab@Example.org\"}",
            "{\"workspace_id\":\"ws_0\",\"event_name\":\"\\ud83d\\ude00-emoji\",\"created_at\":"
                + t
                + ",\"id\":\"abc\"}",
            "{\"workspace_id\":\"ws_0\",\"event_name\":\"\\u00c4lpha\",\"created_at\":"
                + (t - 1)
                + ",\"email\":\"Ada@Example.COM\",\"metadata\":{\"link\":{\"url\":"
                + "\"https://example.org/a\",\"value\":\"A\"},\"amount\":{\"amount\":5,"
                + "\"currency\":\"EUR\"}}}",
            "{\"workspace_id\":\"ws_0\",\"event_name\":\"beta\",\"created_at\":"
                + (Records.AS_OF - 200 * Records.DAY)
                + ",\"email\":\"ada@example.com\"}"),
        StandardCharsets.UTF_8);
    return file;
  }

  static Path importedSummaries(Path dir) throws Exception {
    Path file = dir.resolve("imported.jsonl");
    Files.write(
        file,
        List.of(
            "{\"workspace_id\":\"ws_1\",\"user_id\":\"u1\",\"event_summaries\":{\"event_name\":"
                + "\"placed-order\",\"count\":4,\"first\":1600000000,\"last\":1600000100}}",
            "{\"workspace_id\":\"ws_2\",\"user_id\":\"only-imported\",\"event_summaries\":["
                + "{\"event_name\":\"b\",\"count\":2,\"first\":1600000000,\"last\":1600000100},"
                + "{\"event_name\":\"a\",\"count\":1,\"first\":1600000000,\"last\":1600000000}]}"),
        StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void everyContactsSummaryAndPagesEqualTheFiles() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    EventGenerator.write(in.resolve("generated.jsonl"), 3000, 7);
    handWritten(in);
    Path out = tmp.resolve("out");
    RunReport report =
        backfill(Backfills.of(in).summaries(importedSummaries(tmp)).parallelism(2), out, postgres);

    List<String> summaries = OutputFiles.lines(out, "summaries");
    List<String> pages = OutputFiles.lines(out, "listings");
    assertThat(summaries).hasSize((int) report.count(Counters.SUMMARIES));
    assertThat(pages).hasSize((int) report.count(Counters.LISTING_PAGES));

    List<String> differing = new ArrayList<>();
    Map<String, List<String>> pagesByContact = new LinkedHashMap<>();
    try (Connection c = postgres.connect()) {
      List<String> expected = asJsonb(c, summaries);
      for (int i = 0; i < summaries.size(); i++) {
        String ws = DatabaseReads.workspace(summaries.get(i));
        String key = DatabaseReads.contactKey(summaries.get(i));
        String actual = DatabaseReads.summary(c, ws, key);
        if (!expected.get(i).equals(actual)) {
          differing.add(ws + " " + key + "\n  file: " + expected.get(i) + "\n  db:   " + actual);
        }
      }
      List<String> expectedPages = asJsonb(c, pages);
      for (int i = 0; i < pages.size(); i++) {
        String ws = DatabaseReads.workspace(pages.get(i));
        String key = DatabaseReads.contactKey(pages.get(i));
        int page = DatabaseReads.page(pages.get(i));
        String actual = DatabaseReads.page(c, ws, key, page, 50);
        if (!expectedPages.get(i).equals(actual)) {
          differing.add(
              ws
                  + " "
                  + key
                  + " page "
                  + page
                  + "\n  file: "
                  + expectedPages.get(i)
                  + "\n  db:   "
                  + actual);
        }
        pagesByContact
            .computeIfAbsent(ws + "\u0000" + key, k -> new ArrayList<>())
            .add(pages.get(i));
      }
      assertThat(differing).as("reads that differ from the files").isEmpty();

      // Nothing more than the files: as many contacts, no page past the last, no listing for a
      // contact without one.
      assertThat(DatabaseReads.column(c, "SELECT count(*) FROM data_events.contacts"))
          .containsExactly(String.valueOf(summaries.size()));
      for (String line : summaries) {
        String ws = DatabaseReads.workspace(line);
        String key = DatabaseReads.contactKey(line);
        int shown = pagesByContact.getOrDefault(ws + "\u0000" + key, List.of()).size();
        assertThat(DatabaseReads.page(c, ws, key, shown + 1, 50))
            .as("page %d of %s %s", shown + 1, ws, key)
            .isNull();
      }
      assertThat(pagesByContact).doesNotContainKey("ws_2\u0000user_id:only-imported");
      assertThat(DatabaseReads.summary(c, "ws_0", "email:ada@example.com")).contains("\u00e4lpha");
      assertThat(DatabaseReads.summary(c, "ws_0", "id:nobody")).isNull();

      // Any page size pages the same events: the files' pages of 50 cut into pages of 7.
      differing.clear();
      for (List<String> contactPages : pagesByContact.values()) {
        List<String> cut = repaged(contactPages, 7);
        List<String> expectedCut = asJsonb(c, cut);
        String ws = DatabaseReads.workspace(contactPages.get(0));
        String key = DatabaseReads.contactKey(contactPages.get(0));
        for (int p = 1; p <= cut.size(); p++) {
          String actual = DatabaseReads.page(c, ws, key, p, 7);
          if (!expectedCut.get(p - 1).equals(actual)) {
            differing.add(ws + " " + key + " page " + p + " of 7");
          }
        }
      }
      assertThat(differing).as("pages of 7 that differ").isEmpty();
    }
  }

  /**
   * The contact's listing pages cut into pages of {@code perPage}, as the files would hold them.
   */
  static List<String> repaged(List<String> pages, int perPage) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    ObjectNode first = (ObjectNode) Json.mapper().readTree(pages.get(0));
    for (String page : pages) {
      Json.mapper().readTree(page).get("events").forEach(events::add);
    }
    int total = (events.size() + perPage - 1) / perPage;
    List<String> out = new ArrayList<>();
    for (int p = 1; p <= total; p++) {
      ObjectNode page = first.deepCopy();
      ArrayNode array = page.putArray("events");
      events.subList((p - 1) * perPage, Math.min(events.size(), p * perPage)).forEach(array::add);
      ObjectNode pagesNode = (ObjectNode) page.get("pages");
      pagesNode.put("page", p).put("per_page", perPage).put("total_pages", total);
      if (p < total) {
        pagesNode.put("next", p + 1);
      } else {
        pagesNode.putNull("next");
      }
      out.add(Json.mapper().writeValueAsString(page));
    }
    return out;
  }

  @Test
  void recomputeOnTheCommandLineReplacesTheDatabaseWithItsResult() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    handWritten(in);
    Path first = tmp.resolve("first");
    backfill(Backfills.of(in), first, postgres);
    Path out = tmp.resolve("recomputed");
    int exit =
        dev.dataevents.cli.DataEventsCommand.commandLine()
            .execute(
                "recompute",
                "--archive",
                first.toString(),
                "--as-of",
                Long.toString(Records.AS_OF - 3 * Records.DAY),
                "--per-page",
                "2",
                "--output",
                out.toString(),
                "--jdbc-url",
                postgres.url());
    assertThat(exit).isZero();
    try (Connection c = postgres.connect()) {
      List<String> summaries = asJsonb(c, OutputFiles.lines(out, "summaries"));
      summaries.sort(null);
      assertThat(DatabaseReads.allSummaries(c)).containsExactlyElementsOf(summaries);
      List<String> pages = asJsonb(c, OutputFiles.lines(out, "listings"));
      pages.sort(null);
      assertThat(pages).hasSizeGreaterThan(1);
      assertThat(DatabaseReads.allPages(c, 2)).containsExactlyElementsOf(pages);
    }
  }

  @Test
  void aContactsDirectoryKeysContactsByItsIds() throws Exception {
    Path sample = OutputFiles.sampleData();
    Path out = tmp.resolve("sample");
    backfill(
        Backfills.of(sample.resolve("events.jsonl"))
            .summaries(sample.resolve("summaries.jsonl"))
            .contacts(sample.resolve("contacts.jsonl")),
        out,
        postgres);
    try (Connection c = postgres.connect()) {
      List<String> summaries = asJsonb(c, OutputFiles.lines(out, "summaries"));
      summaries.sort(null);
      assertThat(DatabaseReads.allSummaries(c)).containsExactlyElementsOf(summaries);
      List<String> pages = asJsonb(c, OutputFiles.lines(out, "listings"));
      pages.sort(null);
      assertThat(DatabaseReads.allPages(c, 50)).containsExactlyElementsOf(pages);
      assertThat(DatabaseReads.column(c, "SELECT contact_key FROM data_events.contacts"))
          .allMatch(key -> key.startsWith("id:"));
    }
  }
}
