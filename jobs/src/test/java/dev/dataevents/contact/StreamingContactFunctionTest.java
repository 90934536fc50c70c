package dev.dataevents.contact;

import static dev.dataevents.testing.Harnesses.lines;
import static dev.dataevents.testing.Harnesses.outputLines;
import static dev.dataevents.testing.Harnesses.sideOutput;
import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.DAY;
import static dev.dataevents.testing.Records.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.Rejection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream's keyed contact logic on the operator harness, with processing time in hand. */
class StreamingContactFunctionTest extends StreamingContactFixture {

  @Test
  void acceptedEventsGoOutAtOnceAndSnapshotsOneIntervalAfterAChange() throws Exception {
    open(90 * DAY);
    send(event("u1", "placed-order", AS_OF - DAY, 0, 1));
    assertThat(outputLines(harness)).hasSize(1);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).isEmpty();

    harness.setProcessingTime(NOW + EMIT - 1);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).isEmpty();
    harness.setProcessingTime(NOW + EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"count\":1")
        .endsWith(",\"updated_at\":\"2026-11-01T00:00:10.000Z\"}");
    assertThat(lines(harness, ContactOutputs.LISTINGS))
        .singleElement()
        .asString()
        .contains("placed-order");

    // Nothing changed: no new snapshot, however long it waits.
    harness.setProcessingTime(NOW + 10 * EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
  }

  @Test
  void aContactGetsAtMostOneSnapshotPerInterval() throws Exception {
    open(90 * DAY);
    for (int i = 0; i < 5; i++) {
      harness.setProcessingTime(NOW + i * 1000);
      send(event("u1", "viewed-page", AS_OF - DAY + i, 0, i + 1));
    }
    harness.setProcessingTime(NOW + EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"count\":5");
    send(event("u1", "viewed-page", AS_OF - DAY + 99, 0, 99));
    harness.setProcessingTime(NOW + 2 * EMIT - 1);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
    harness.setProcessingTime(NOW + 2 * EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(2);
    assertThat(lines(harness, ContactOutputs.SUMMARIES).get(1)).contains("\"count\":6");
  }

  @Test
  void theFirstCopyToArriveWinsAndDuplicatesChangeNothing() throws Exception {
    open(90 * DAY);
    send(event("u1", "placed-order", AS_OF - DAY, 1, 5, "{\"copy\":\"first\"}"));
    send(event("u1", "placed-order", AS_OF - DAY, 0, 1, "{\"copy\":\"second\"}"));
    assertThat(outputLines(harness)).singleElement().asString().contains("first");
    harness.setProcessingTime(NOW + EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"count\":1");
  }

  @Test
  void eventsOlderThanTheHorizonAreRejected422() throws Exception {
    open(30 * DAY);
    send(event("u1", "placed-order", AS_OF - 30 * DAY, 0, 7));
    assertThat(outputLines(harness)).isEmpty();
    List<Rejection> rejected = sideOutput(harness, ContactOutputs.REJECTED);
    assertThat(rejected)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo("outside_dedup_horizon");
              assertThat(r.status()).isEqualTo(422);
              assertThat(r.field()).isEqualTo("created_at");
              assertThat(r.line()).isEqualTo(7);
              assertThat(r.source()).isEqualTo("file-0.jsonl");
              assertThat(r.raw()).isEqualTo("raw 0:7");
            });
  }

  @Test
  void dedupStateIsDroppedWhenTheHourOfItsCreatedAtAgesPastTheHorizon() throws Exception {
    open(100 * DAY);
    // Older than the listing window, so only the dedup set holds it.
    long createdAt = AS_OF - 95 * DAY;
    send(event("u1", "placed-order", createdAt, 0, 1));
    harness.setProcessingTime(NOW + EMIT);
    int withIdentity = harness.numKeyedStateEntries();
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1); // the hour's dedup expiry

    // The same event past the horizon is rejected, never counted twice.
    harness.setProcessingTime((createdAt + 100 * DAY) * 1000);
    send(event("u1", "placed-order", createdAt, 0, 2));
    assertThat(outputLines(harness)).hasSize(1);
    assertThat(sideOutput(harness, ContactOutputs.REJECTED)).hasSize(1);

    // The identity leaves state once its whole hour of created_at is past the horizon.
    long hourEnd = createdAt + ExpiryTimers.BUCKET_SECONDS;
    harness.setProcessingTime((hourEnd + 100 * DAY) * 1000);
    assertThat(harness.numKeyedStateEntries()).isLessThan(withIdentity);
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  /**
   * A listed event leaves the contact's listing when it is 90 days old by processing time: the
   * snapshot that says so comes within two emit intervals of that moment (not at the end of the
   * event's hour), and it is a listing only, since the summary did not change (its counts include
   * events of any age).
   */
  @Test
  void listedEventsAgeOutAfter90DaysOfProcessingTimeWithinTwoEmitIntervals() throws Exception {
    open(365 * DAY);
    long createdAt = AS_OF - 89 * DAY + 1234; // not at an hour's start
    send(event("u1", "placed-order", createdAt, 0, 1));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(lines(harness, ContactOutputs.LISTINGS))
        .singleElement()
        .asString()
        .contains("placed-order");

    long aged = (createdAt + ContactResults.LISTING_WINDOW_SECONDS) * 1000;
    harness.setProcessingTime(aged - 1);
    assertThat(lines(harness, ContactOutputs.LISTINGS)).hasSize(1);
    harness.setProcessingTime(aged + 2 * EMIT + 1);
    List<String> listings = lines(harness, ContactOutputs.LISTINGS);
    assertThat(listings).hasSize(2);
    assertThat(listings.get(1))
        .contains("\"events\":[]")
        .contains("\"total_pages\":0,\"next\":null");
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .singleElement()
        .asString()
        .contains("\"count\":1");

    // The hour's state goes at the end of the hour, with no further snapshot.
    long hourEnd =
        (Math.floorDiv(createdAt, ExpiryTimers.BUCKET_SECONDS) + 1) * ExpiryTimers.BUCKET_SECONDS;
    harness.setProcessingTime((hourEnd + ContactResults.LISTING_WINDOW_SECONDS) * 1000 + 3 * EMIT);
    assertThat(lines(harness, ContactOutputs.LISTINGS)).hasSize(2);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
  }

  /** A contact whose summary changed in the same interval gets both, as always. */
  @Test
  void aNewEventInTheIntervalAnEventAgesOutWritesBothSummaryAndListing() throws Exception {
    open(365 * DAY);
    long createdAt = AS_OF - 89 * DAY + 1234;
    send(event("u1", "placed-order", createdAt, 0, 1));
    harness.setProcessingTime(NOW + EMIT);
    long aged = (createdAt + ContactResults.LISTING_WINDOW_SECONDS) * 1000;
    harness.setProcessingTime(aged + 1);
    send(event("u1", "viewed-page", aged / 1000 - 5, 0, 2));
    harness.setProcessingTime(aged + 2 * EMIT + 1);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .hasSize(2)
        .last()
        .asString()
        .contains("\"count\":1,\"description\":null},{\"name\":\"viewed-page\"");
    assertThat(lines(harness, ContactOutputs.LISTINGS))
        .hasSize(2)
        .last()
        .asString()
        .contains("viewed-page")
        .doesNotContain("\"event_name\":\"placed-order\"");
  }

  /**
   * Each output of a snapshot is written only when it changed: an event older than the 90-day
   * window changes the summary, not the listing; one that brings a new email changes both (pages
   * show the contact's identifiers).
   */
  @Test
  void aSnapshotWritesTheListingOnlyWhenItChanged() throws Exception {
    open(365 * DAY);
    send(event("u1", "placed-order", AS_OF - DAY, 0, 1));
    harness.setProcessingTime(NOW + EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(1);
    assertThat(lines(harness, ContactOutputs.LISTINGS)).hasSize(1);

    send(event("u1", "old-order", AS_OF - 200 * DAY, 0, 2));
    harness.setProcessingTime(NOW + 2 * EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES))
        .hasSize(2)
        .last()
        .asString()
        .contains("old-order");
    assertThat(lines(harness, ContactOutputs.LISTINGS)).hasSize(1);

    send(
        ContactRecord.event(
            "ws_1",
            "user_id:u1",
            InputPosition.of(0, 3),
            "file-0.jsonl",
            "older-order",
            AS_OF - 300 * DAY,
            "u1",
            null,
            "u1@example.org",
            null,
            0,
            0,
            "raw 0:3"));
    harness.setProcessingTime(NOW + 3 * EMIT);
    assertThat(lines(harness, ContactOutputs.SUMMARIES)).hasSize(3);
    assertThat(lines(harness, ContactOutputs.LISTINGS))
        .hasSize(2)
        .last()
        .asString()
        .contains("\"email\":\"u1@example.org\"", "placed-order");
  }
}
