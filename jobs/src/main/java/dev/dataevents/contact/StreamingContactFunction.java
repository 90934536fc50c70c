package dev.dataevents.contact;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ContactState;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.RecordFaults;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.output.RecordJson;
import dev.dataevents.reporting.CheckpointedCounts;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.CountingFunction;
import dev.dataevents.reporting.RunCounter;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Owns everything about a contact in a stream: the dedup set, the summary counts, the events of the
 * last 90 days and the latest identifiers, all in keyed state that checkpoints make exactly-once.
 *
 * <ul>
 *   <li>An accepted event goes to {@code events/} at once; the first copy to arrive wins.
 *   <li>A contact that changed gets a snapshot (summary and listing pages with {@code updated_at})
 *       at most once per emit interval, from a processing-time timer.
 *   <li>Dedup is exact within the horizon of {@code created_at} age; an older event is rejected
 *       {@code outside_dedup_horizon} (a backfill, which is exact, takes it). Listed events leave
 *       the listing when they are 90 days old by processing time.
 * </ul>
 *
 * <p>State stays small: the listing keeps only what a page shows ({@link ListedEvent}), never the
 * raw line or its source, and both the dedup set and the listing are keyed by {@code created_at}.
 * State expiry is coalesced to the hour of {@code created_at}: each hour has at most one timer for
 * the listing and one for dedup, at the time its last second expires, and a timer removes exactly
 * that hour's entries (found through a per-hour index) without looking at any other. A snapshot
 * filters the listing by its own time, so an event of 90 days or more is never shown while its hour
 * waits for its timer. The snapshot that says a listed event aged out does not wait for the hour:
 * an aged-out timer, at the event's 90th day rounded up to whole emit intervals (a snapshot cannot
 * come sooner), marks the contacts whose last listing showed it; that snapshot is a listing only,
 * as the summary (counts of any age) did not change. Listing pages that would say what the last
 * ones said (but for {@code updated_at}) are not written again.
 *
 * <p>The key is a hash of the contact; contacts whose hashes collide share the key and are kept
 * apart by including the contact in every state entry.
 */
public class StreamingContactFunction extends KeyedProcessFunction<Long, ContactRecord, byte[]>
    implements CountingFunction {
  private static final long serialVersionUID = 1L;

  private final CheckpointedCounts reportCounts = new CheckpointedCounts();

  @Override
  public CheckpointedCounts reportCounts() {
    return reportCounts;
  }

  private final long emitIntervalMillis;
  private final long dedupHorizonSeconds;
  private final ExpiryTimers timers;
  private final int perPage;
  private boolean emitStates;

  /** The dedup set and the listing, by created_at, with their expiry. */
  private transient EventsByCreatedAt events;

  /** Counts per event name and latest identifiers. */
  private transient SummaryState summary;

  /** What changed since the last snapshots, what they showed, and the emit timer. */
  private transient ContactSnapshots snapshots;

  private transient RunCounter accepted;
  private transient RunCounter duplicates;
  private transient RunCounter keysDropped;
  private transient RunCounter valuesTruncated;

  /**
   * @param emitIntervalMillis at most one snapshot of a contact per this interval
   * @param dedupHorizonSeconds dedup is exact for events up to this old ({@code created_at})
   * @param perPage events per listing page
   */
  public StreamingContactFunction(long emitIntervalMillis, long dedupHorizonSeconds, int perPage) {
    this.emitIntervalMillis = emitIntervalMillis;
    this.dedupHorizonSeconds = dedupHorizonSeconds;
    this.timers = new ExpiryTimers(emitIntervalMillis, dedupHorizonSeconds);
    this.perPage = perPage;
  }

  /**
   * Also emits each snapshot as a {@link ContactState} to {@link ContactOutputs#STATES}, for a
   * database; call before the job is defined.
   */
  public StreamingContactFunction withContactStates() {
    this.emitStates = true;
    return this;
  }

  @Override
  public void open(OpenContext openContext) {
    var ctx = getRuntimeContext();
    accepted = reportCounts.counter(Counters.ACCEPTED);
    duplicates = reportCounts.counter(Counters.DUPLICATES);
    keysDropped = reportCounts.counter(Counters.METADATA_KEYS_DROPPED);
    valuesTruncated = reportCounts.counter(Counters.METADATA_VALUES_TRUNCATED);
    events = new EventsByCreatedAt(ctx, timers);
    summary = new SummaryState(ctx, reportCounts.counter(Counters.CONTACTS));
    snapshots =
        new ContactSnapshots(
            ctx,
            emitIntervalMillis,
            perPage,
            emitStates,
            summary,
            events,
            reportCounts.counter(Counters.SUMMARIES),
            reportCounts.counter(Counters.LISTING_PAGES));
  }

  @Override
  public void processElement(ContactRecord record, Context ctx, Collector<byte[]> out)
      throws Exception {
    try {
      process(record, ctx, out);
    } catch (RuntimeException e) {
      RecordFaults.rethrowIfNotTheRecords(e);
      ctx.output(ContactOutputs.REJECTED, ContactOutputs.internalError(record, e));
    }
  }

  /**
   * Dedups, keeps and emits one record. Everything that may fail (rendering) comes before the first
   * change of state or count, so a record rejected {@code internal_error} leaves no trace.
   */
  void process(ContactRecord record, Context ctx, Collector<byte[]> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    long nowSeconds = now / 1000;
    if (record.summaryImport()) {
      return; // streams take no imported summaries (the command line offers none)
    }
    if (record.createdAt() <= nowSeconds - dedupHorizonSeconds) {
      ctx.output(
          ContactOutputs.REJECTED,
          Rejection.of(
              RejectionReason.OUTSIDE_DEDUP_HORIZON,
              "created_at",
              "created_at "
                  + record.createdAt()
                  + " is older than the stream's dedup horizon of "
                  + dedupHorizonSeconds
                  + " s; load it with a backfill",
              record.source(),
              record.position(),
              record.raw()));
      return;
    }
    String contact = StateKey.contact(record.workspaceId(), record.contactKey());
    String event = StateKey.of(contact, record.eventName());
    long createdAt = record.createdAt();
    String[] sameSecond = events.seen(createdAt);
    if (sameSecond != null && Arrays.asList(sameSecond).contains(event)) {
      duplicates.add(1);
      return;
    }
    byte[] acceptedJson = RecordJson.acceptedEvent(record);

    events.keep(createdAt, sameSecond, event, ctx.timerService());
    if (ContactResults.isListed(createdAt, nowSeconds)) {
      events.list(ListedEvent.of(record), ctx.timerService());
    }

    summary.add(contact, event, record);
    snapshots.markChanged(contact, true, now, ctx.timerService());

    accepted.add(1);
    keysDropped.add(record.metadataKeysDropped());
    valuesTruncated.add(record.metadataValuesTruncated());
    out.collect(acceptedJson);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<byte[]> out) throws Exception {
    events.dedupTimersForThisHorizon(timestamp, ctx.timerService());
    long listingHour = timers.listingHourExpiringAt(timestamp);
    long dedupHour = timers.dedupHourExpiringAt(timestamp);
    if (listingHour >= 0) {
      // A contact whose last snapshot showed one of the hour's events is marked changed, so that
      // its next snapshot says it is gone; a pending snapshot filters by its own time anyway.
      events.expireListing(
          listingHour,
          (createdAt, listed) ->
              snapshots.markShownAsChanged(listed, createdAt, timestamp, ctx.timerService()));
    }
    if (dedupHour >= 0) {
      events.expireDedup(dedupHour);
    }
    if (ExpiryTimers.isAgedOut(timestamp)) {
      ageOut(timestamp - ExpiryTimers.AGED_OUT_MARK, ctx);
    }
    snapshots.emitIfDue(timestamp, ctx);
  }

  /**
   * Marks the contacts whose last listing showed an event that aged out by {@code at} (see {@link
   * ExpiryTimers#agedOut}): their next snapshot shows it gone. The events stay in state until their
   * hour's expiry. An emit timer that happens to carry the mark does this too, which is as right at
   * its time.
   */
  private void ageOut(long at, OnTimerContext ctx) throws Exception {
    long last = at / 1000 - ContactResults.LISTING_WINDOW_SECONDS; // aged out by now
    events.forEachAgedOut(
        last,
        (createdAt, listed) ->
            snapshots.markShownAsChanged(listed, createdAt, at, ctx.timerService()));
  }
}
