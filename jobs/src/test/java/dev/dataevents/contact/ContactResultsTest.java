package dev.dataevents.contact;

import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.DAY;
import static dev.dataevents.testing.Records.event;
import static dev.dataevents.testing.Records.imported;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.InputPosition;
import dev.dataevents.output.ContactJson;
import dev.dataevents.testing.Harnesses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactResultsTest {
  private static final ContactId USER = new ContactId("ws_1", "user_id:u1");

  private static ContactResults results(ContactRecord... records) {
    return ContactResults.of(USER, List.of(records), AS_OF);
  }

  private static String summary(ContactResults results) {
    return Harnesses.text(
        ContactJson.summary(
            results.contact(), results.identifiers(), results.summaryCounts(), null));
  }

  /** The pages of results built for {@code referenceTime} ({@link #results} uses AS_OF). */
  private static List<String> listingPages(
      ContactResults results, long referenceTime, int perPage) {
    assertThat(referenceTime).isEqualTo(AS_OF);
    return Harnesses.text(
        ContactJson.listingPages(
            results.contact(), results.identifiers(), results.listed(), perPage, null));
  }

  @Test
  void summaryCountsFirstAndLastPerNameSortedByName() {
    String summary =
        summary(
            results(
                event("u1", "viewed-page", AS_OF - 10 * DAY, 0, 1),
                event("u1", "placed-order", AS_OF - 200 * DAY, 0, 2),
                event("u1", "viewed-page", AS_OF - 2 * DAY, 0, 3)));
    assertThat(summary)
        .isEqualTo(
            "{\"type\":\"event.summary\",\"workspace_id\":\"ws_1\",\"user_id\":\"u1\","
                + "\"intercom_user_id\":null,\"email\":null,\"events\":["
                + "{\"name\":\"placed-order\",\"first\":\"2026-04-15T00:00:00.000Z\","
                + "\"last\":\"2026-04-15T00:00:00.000Z\",\"count\":1,\"description\":null},"
                + "{\"name\":\"viewed-page\",\"first\":\"2026-10-22T00:00:00.000Z\","
                + "\"last\":\"2026-10-30T00:00:00.000Z\",\"count\":2,\"description\":null}]}");
  }

  @Test
  void importedSummariesMergeCountAddedFirstMinLastMax() {
    String summary =
        summary(
            results(
                event("u1", "placed-order", AS_OF - 10 * DAY, 0, 1),
                imported("u1", "placed-order", 4, AS_OF - 700 * DAY, AS_OF - 5 * DAY, 1, 1),
                imported("u1", "only-imported", 2, AS_OF - 30 * DAY, AS_OF - 20 * DAY, 1, 2)));
    assertThat(summary)
        .contains(
            "{\"name\":\"only-imported\",\"first\":\"2026-10-02T00:00:00.000Z\","
                + "\"last\":\"2026-10-12T00:00:00.000Z\",\"count\":2,\"description\":null}")
        .contains(
            "{\"name\":\"placed-order\",\"first\":\"2024-12-01T00:00:00.000Z\","
                + "\"last\":\"2026-10-27T00:00:00.000Z\",\"count\":5,\"description\":null}");
  }

  @Test
  void mergedCountsSaturateInsteadOfWrapping() {
    String summary =
        summary(
            results(
                imported("u1", "x", Long.MAX_VALUE - 1, AS_OF - DAY, AS_OF - DAY, 0, 1),
                imported("u1", "x", 5, AS_OF - DAY, AS_OF - DAY, 0, 2)));
    assertThat(summary).contains("\"count\":" + Long.MAX_VALUE);
  }

  @Test
  void namesSortByCodePointNotUtf16() {
    // U+1F680 sorts after U+FF5E by code point, before it in UTF-16.
    String summary =
        summary(
            results(
                event("u1", "\uD83D\uDE80", AS_OF - DAY, 0, 1),
                event("u1", "\uFF5E", AS_OF - DAY, 0, 2)));
    assertThat(summary.indexOf("\uFF5E")).isLessThan(summary.indexOf("\uD83D\uDE80"));
  }

  @Test
  void identifiersAreTheLatestNonNullByCreatedAtThenPosition() {
    ContactRecord older = withEmail(event("u1", "a", AS_OF - 5 * DAY, 0, 9), "old@example.org");
    ContactRecord newer = withEmail(event("u1", "b", AS_OF - 1 * DAY, 0, 1), "new@example.org");
    ContactRecord sameTimeLater =
        withEmail(event("u1", "c", AS_OF - 1 * DAY, 0, 2), "later@example.org");
    ContactRecord newestNoEmail = event("u1", "d", AS_OF, 0, 3);
    ContactResults results = results(older, newer, sameTimeLater, newestNoEmail);
    assertThat(results.identifiers().email()).isEqualTo("later@example.org");
    assertThat(results.identifiers().userId()).isEqualTo("u1");
    assertThat(results.identifiers().id()).isNull();
  }

  @Test
  void aContactKnownOnlyFromImportsTakesItsIdentifiersFromThem() {
    assertThat(
            results(imported("u1", "x", 1, AS_OF - DAY, AS_OF - DAY, 0, 1)).identifiers().userId())
        .isEqualTo("u1");
  }

  /** An imported line of u1 that names more identifiers than its events do. */
  private static ContactRecord importWithMoreIdentifiers(int file) {
    return ContactRecord.summaryImport(
        "ws_1",
        "user_id:u1",
        InputPosition.of(file, 1),
        "s.jsonl",
        "u1",
        "imp-id",
        "imp@example.org",
        new String[] {"a"},
        new long[] {1},
        new long[] {AS_OF - DAY},
        new long[] {AS_OF - DAY},
        null);
  }

  @Test
  void aDirectoryContactKnownOnlyFromImportsShowsTheDirectorysIdentifiersOnly() {
    // The chain is the events', then the directory entry's, then null: an import resolved to a
    // directory entry fills in nothing the entry lacks.
    var entry =
        new dev.dataevents.model.DirectoryEntry(
            "ws_1", "c1", "u1", null, false, InputPosition.of(9, 1), "contacts.jsonl", null, null);
    ContactResults results = results(importWithMoreIdentifiers(0).resolvedTo(entry));
    assertThat(results.identifiers().userId()).isEqualTo("u1");
    assertThat(results.identifiers().id()).isEqualTo("c1");
    assertThat(results.identifiers().email()).isNull();
  }

  @Test
  void importedIdentifiersNeverFillInForAContactWithAcceptedEvents() {
    // The contract: the latest non-null on accepted events, else the directory's, else null; an
    // imported line's identifiers stand only for a contact that has no accepted event.
    ContactResults results =
        results(event("u1", "e", AS_OF - 2 * DAY, 0, 1), importWithMoreIdentifiers(1));
    assertThat(results.identifiers().userId()).isEqualTo("u1");
    assertThat(results.identifiers().id()).isNull();
    assertThat(results.identifiers().email()).isNull();
    // Input order does not matter: an import read before the event is ignored as well.
    ContactResults importFirst =
        results(importWithMoreIdentifiers(0), event("u1", "e", AS_OF - 2 * DAY, 1, 1));
    assertThat(importFirst.identifiers().email()).isNull();
    assertThat(importFirst.identifiers().id()).isNull();
  }

  @Test
  void listingHoldsEventsOfTheLast90DaysNewestFirstTiesByName() {
    long window = ContactResults.LISTING_WINDOW_SECONDS;
    List<String> pages =
        listingPages(
            results(
                event("u1", "b-event", AS_OF - DAY, 0, 1),
                event("u1", "a-event", AS_OF - DAY, 0, 2),
                event("u1", "edge-in", AS_OF - window + 1, 0, 3),
                event("u1", "edge-out", AS_OF - window, 0, 4),
                event("u1", "future", AS_OF + 3600, 0, 5),
                imported("u1", "imported", 3, AS_OF - DAY, AS_OF - DAY, 1, 1)),
            AS_OF,
            50);
    assertThat(pages).hasSize(1);
    String page = pages.get(0);
    assertThat(page).doesNotContain("edge-out").doesNotContain("imported");
    assertThat(page.indexOf("future"))
        .isLessThan(page.indexOf("a-event"))
        .isLessThan(page.indexOf("b-event"));
    assertThat(page.indexOf("b-event")).isLessThan(page.indexOf("edge-in"));
    assertThat(page)
        .endsWith(
            "\"pages\":{\"type\":\"pages\",\"page\":1,\"per_page\":50,\"total_pages\":1,"
                + "\"next\":null}}");
  }

  @Test
  void listingIsPagedWithNextPageNumbers() {
    List<ContactRecord> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(event("u1", "e" + i, AS_OF - i * DAY, 0, i + 1));
    }
    List<String> pages = listingPages(ContactResults.of(USER, events, AS_OF), AS_OF, 2);
    assertThat(pages).hasSize(3);
    assertThat(pages.get(0))
        .contains("\"e0\"", "\"e1\"")
        .contains("\"page\":1,\"per_page\":2,\"total_pages\":3,\"next\":2");
    assertThat(pages.get(1)).contains("\"e2\"", "\"e3\"").contains("\"page\":2", "\"next\":3");
    assertThat(pages.get(2)).contains("\"e4\"").contains("\"page\":3", "\"next\":null");
  }

  @Test
  void listedEventsCarryTheirMetadataOrAnEmptyObject() {
    List<String> pages =
        listingPages(
            results(
                event("u1", "with", AS_OF - DAY, 0, 1, "{\"plan\":\"pro\"}"),
                event("u1", "without", AS_OF - 2 * DAY, 0, 2)),
            AS_OF,
            50);
    assertThat(pages.get(0))
        .contains(
            "{\"type\":\"event\",\"event_name\":\"with\",\"created_at\":"
                + (AS_OF - DAY)
                + ",\"user_id\":\"u1\",\"metadata\":{\"plan\":\"pro\"}}")
        .contains(
            "\"event_name\":\"without\",\"created_at\":"
                + (AS_OF - 2 * DAY)
                + ",\"user_id\":\"u1\",\"metadata\":{}}");
  }

  @Test
  void noEventInTheWindowMeansNoListing() {
    assertThat(listingPages(results(event("u1", "old", AS_OF - 400 * DAY, 0, 1)), AS_OF, 50))
        .isEmpty();
  }

  private static ContactRecord withEmail(ContactRecord r, String email) {
    return ContactRecord.event(
        r.workspaceId(),
        r.contactKey(),
        InputPosition.of(InputPosition.sourceIndex(r.position()), InputPosition.line(r.position())),
        null,
        r.eventName(),
        r.createdAt(),
        r.userId(),
        r.id(),
        email,
        r.metadataUtf8(),
        0,
        0,
        null);
  }

  @Test
  void anImportOnlyContactOfTheDirectoryShowsTheDirectorysIdentifiersFirst() {
    ContactRecord imported =
        imported("u9", "x", 1, AS_OF - DAY, AS_OF - DAY, 0, 1)
            .resolvedTo(
                new dev.dataevents.model.DirectoryEntry(
                    "ws_1", "c9", null, "Dir@x.example", false, 5, "d.jsonl", null, "id:c9"));
    ContactResults results =
        ContactResults.of(new ContactId("ws_1", "id:c9"), List.of(imported), AS_OF);
    assertThat(results.identifiers().email()).isEqualTo("Dir@x.example");
    assertThat(results.identifiers().id()).isEqualTo("c9");
    // No directory user_id: null, whatever the imported line said.
    assertThat(results.identifiers().userId()).isNull();
  }
}
