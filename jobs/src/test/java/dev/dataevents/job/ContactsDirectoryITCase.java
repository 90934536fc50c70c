package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.OutputFiles.sampleData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backfills with a contacts directory: a keyed, sort-based join on every identifier. */
class ContactsDirectoryITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  @TempDir Path tmp;

  private static String event(String identifiers, String name, long createdAt) {
    return "{\"workspace_id\":\"ws_1\",\"event_name\":\""
        + name
        + "\",\"created_at\":"
        + createdAt
        + ","
        + identifiers
        + "}\n";
  }

  @Test
  void onePersonSentByUserIdAndByEmailIsOneContact() throws Exception {
    Path directory = tmp.resolve("contacts.jsonl");
    Files.writeString(
        directory,
        "{\"workspace_id\":\"ws_1\",\"id\":\"c1\",\"user_id\":\"u1\",\"email\":\"Ann@Example.com\"}\n"
            + "{\"workspace_id\":\"ws_1\",\"id\":\"c2\",\"email\":\"ann@example.com\"}\n"
            + "{\"workspace_id\":\"ws_1\",\"id\":\"lead1\",\"email\":\"lead@example.com\",\"role\":\"lead\"}\n"
            + "{\"workspace_id\":\"ws_1\",\"id\":\"c1\",\"user_id\":\"other\"}\n"
            + "{\"workspace_id\":\"ws_1\",\"user_id\":\"no-id\"}\n");
    Path events = tmp.resolve("events.jsonl");
    Files.writeString(
        events,
        event("\"user_id\":\"u1\"", "placed-order", 1793000000)
            // the same event sent by email: the same contact, so a duplicate
            + event("\"email\":\"ANN@example.com\"", "placed-order", 1793000000)
            + event("\"email\":\"ann@example.com\"", "viewed-page", 1793000100)
            + event("\"user_id\":\"stranger\"", "placed-order", 1793000000)
            + event("\"email\":\"lead@example.com\"", "signed-up", 1793000000)
            + event("\"id\":\"lead1\"", "signed-up", 1793000000));
    Path out = tmp.resolve("out");
    RunReport report =
        Backfills.of(events).contacts(directory).duplicates().parallelism(2).run(out);

    assertThat(report.count(Counters.INPUT_RECORDS)).isEqualTo(11);
    assertThat(report.count(Counters.DIRECTORY_ENTRIES)).isEqualTo(3);
    // 3 directory entries + 3 events (u1, ann's view, the lead by id)
    assertThat(report.count(Counters.ACCEPTED)).isEqualTo(6);
    assertThat(report.count(Counters.DUPLICATES)).isEqualTo(2);
    assertThat(report.rejectedByReason())
        .containsOnly(
            entry("contact_not_found", 1L),
            entry("lead_requires_id", 1L),
            entry("invalid_contact", 1L));
    assertThat(report.balanced()).isTrue();

    List<String> summaries = lines(out, "summaries");
    assertThat(summaries).hasSize(2);
    String ann = summaries.stream().filter(s -> s.contains("\"u1\"")).findFirst().orElseThrow();
    // The email identifier went to c1, the entry with the smaller position; c1's summary shows the
    // events' user_id, then the directory's id and email for what no event carried.
    assertThat(ann)
        .contains("\"user_id\":\"u1\",\"intercom_user_id\":\"c1\",\"email\":\"ann@example.com\"")
        .contains("{\"name\":\"placed-order\"", "\"count\":1", "{\"name\":\"viewed-page\"");
    assertThat(lines(out, "events")).hasSize(3);
    assertThat(lines(out, "rejected"))
        .filteredOn(l -> l.contains("contact_not_found"))
        .singleElement()
        .asString()
        .contains("\"status\":404", "\"field\":null", "\"line\":4");
    assertThat(lines(out, "rejected"))
        .filteredOn(l -> l.contains("lead_requires_id"))
        .singleElement()
        .asString()
        .contains("\"status\":404", "\"line\":5");
    // Both kinds of duplicates are written: the event sent again by email, and entry c1 again.
    assertThat(lines(out, "duplicates"))
        .hasSize(2)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(
                        "\"source\":\""
                            + directory
                            + "\",\"line\":4,"
                            + "\"duplicate_of\":{\"source\":\""
                            + directory
                            + "\",\"line\":1}"));
    lines(out, "duplicates").forEach(l -> Schemas.assertValid("duplicate.schema.json", l));
    lines(out, "rejected").forEach(l -> Schemas.assertValid("rejection.schema.json", l));
    lines(out, "summaries").forEach(l -> Schemas.assertValid("event-summary.schema.json", l));
    Schemas.assertValid("report.schema.json", Files.readString(out.resolve("report.json")));
  }

  @Test
  void theSampleDirectoryResolvesTheSampleEventsAtAnyParallelism() throws Exception {
    Path one = tmp.resolve("p1");
    Path two = tmp.resolve("p2");
    Backfills sample =
        Backfills.of(sampleData().resolve("events.jsonl"))
            .summaries(sampleData().resolve("summaries.jsonl"))
            .contacts(sampleData().resolve("contacts.jsonl"));
    RunReport r1 = sample.parallelism(1).run(one);
    RunReport r2 = sample.parallelism(2).run(two);
    for (String folder : List.of("events", "summaries", "listings", "rejected")) {
      assertThat(sorted(lines(two, folder))).as(folder).isEqualTo(sorted(lines(one, folder)));
    }
    assertThat(r2.count(Counters.DIRECTORY_ENTRIES)).isEqualTo(4);
    assertThat(r2.rejectedByReason()).containsEntry("invalid_contact", 2L);
    // ws_3's imported-only contact is in no directory.
    assertThat(r2.rejectedByReason()).containsEntry("contact_not_found", 1L);
    assertThat(r2.balanced()).isTrue();
    assertThat(lines(two, "summaries"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .contains("\"intercom_user_id\":\"c-ada\"", "\"email\":\"ada@example.com\""));
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }
}
