package dev.dataevents.contact;

import dev.dataevents.json.JsonWriter;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ContactState;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.NameCounts;
import dev.dataevents.model.RecordFaults;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.output.ContactJson;
import dev.dataevents.output.RecordJson;
import dev.dataevents.reporting.CheckpointedCounts;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.CountingFunction;
import dev.dataevents.reporting.RunCounter;
import dev.dataevents.text.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(StreamingContactFunction.class);

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

  /** contact + name -> [count, first, last]. */
  private transient MapState<String, long[]> counts;

  private transient MapState<String, LatestIdentifiers> identifiers;

  /**
   * Contacts changed since their last snapshot: true when the summary changed too, false when only
   * the listing did (an event aged out).
   */
  private transient MapState<String, Boolean> changed;

  /** Contacts whose last snapshot had listing pages -> that snapshot's time, Unix seconds. */
  private transient MapState<String, Long> listingShownAt;

  /**
   * What each contact's last listing pages held but for {@code updated_at} (a hash): pages that
   * would say the same are not written again when only the summary changed.
   */
  private transient MapState<String, Long> listingShown;

  private transient MessageDigest digest;

  private transient ValueState<Long> emitTimer;

  private transient RunCounter accepted;
  private transient RunCounter duplicates;
  private transient RunCounter keysDropped;
  private transient RunCounter valuesTruncated;
  private transient RunCounter contacts;
  private transient RunCounter summaries;
  private transient RunCounter listingPages;

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
    events = new EventsByCreatedAt(ctx, timers);
    counts =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "counts", Types.STRING, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    identifiers =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "identifiers", Types.STRING, TypeInformation.of(LatestIdentifiers.class)));
    changed = ctx.getMapState(new MapStateDescriptor<>("changed", Types.STRING, Types.BOOLEAN));
    listingShownAt =
        ctx.getMapState(new MapStateDescriptor<>("listing-shown-at", Types.STRING, Types.LONG));
    listingShown =
        ctx.getMapState(new MapStateDescriptor<>("listing-shown-hash", Types.STRING, Types.LONG));
    digest = Sha256.digest();
    emitTimer = ctx.getState(new ValueStateDescriptor<>("emit-timer", Types.LONG));
    accepted = reportCounts.counter(Counters.ACCEPTED);
    duplicates = reportCounts.counter(Counters.DUPLICATES);
    keysDropped = reportCounts.counter(Counters.METADATA_KEYS_DROPPED);
    valuesTruncated = reportCounts.counter(Counters.METADATA_VALUES_TRUNCATED);
    contacts = reportCounts.counter(Counters.CONTACTS);
    summaries = reportCounts.counter(Counters.SUMMARIES);
    listingPages = reportCounts.counter(Counters.LISTING_PAGES);
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

    long[] count = counts.get(event);
    if (count == null) {
      count = NameCounts.empty();
    }
    NameCounts.add(count, 1, createdAt, createdAt);
    counts.put(event, count);
    LatestIdentifiers ids = identifiers.get(contact);
    if (ids == null) {
      contacts.add(1);
      ids = LatestIdentifiers.NONE;
    }
    identifiers.put(contact, ids.with(record));
    markChanged(contact, true, now, ctx);

    accepted.add(1);
    keysDropped.add(record.metadataKeysDropped());
    valuesTruncated.add(record.metadataValuesTruncated());
    out.collect(acceptedJson);
  }

  /**
   * Notes a contact as changed; its snapshot follows one emit interval later, together with every
   * other change in that interval. A change right after a snapshot waits a full interval, so a
   * contact gets at most one snapshot per interval.
   */
  private void markChanged(String contact, boolean summaryToo, long now, Context ctx)
      throws Exception {
    Boolean before = changed.get(contact);
    changed.put(contact, summaryToo || Boolean.TRUE.equals(before));
    if (emitTimer.value() == null) {
      long at = now + emitIntervalMillis;
      ctx.timerService().registerProcessingTimeTimer(at);
      emitTimer.update(at);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<byte[]> out) throws Exception {
    long listingHour = timers.listingHourExpiringAt(timestamp);
    long dedupHour = timers.dedupHourExpiringAt(timestamp);
    if (listingHour >= 0) {
      // A contact whose last snapshot showed one of the hour's events is marked changed, so that
      // its next snapshot says it is gone; a pending snapshot filters by its own time anyway.
      events.expireListing(
          listingHour,
          (createdAt, listed) -> markShownAsChanged(listed, createdAt, timestamp, ctx));
    }
    if (dedupHour >= 0) {
      events.expireDedup(dedupHour);
    }
    if (ExpiryTimers.isAgedOut(timestamp)) {
      ageOut(timestamp - ExpiryTimers.AGED_OUT_MARK, ctx);
    }
    Long emit = emitTimer.value();
    if (emit != null && timestamp >= emit) {
      emitTimer.clear();
      emitSnapshots(timestamp, ctx);
    }
  }

  /**
   * Marks the contacts whose last listing showed an event that aged out in the step up to {@code
   * at} (see {@link ExpiryTimers#agedOut}): their next snapshot shows it gone. The events stay in
   * state until their hour's expiry. An emit timer that happens to carry the mark does this too,
   * which is as right at its time.
   */
  private void ageOut(long at, OnTimerContext ctx) throws Exception {
    long last = at / 1000 - ContactResults.LISTING_WINDOW_SECONDS; // aged out by now
    long first = last - timers.agedOutStepMillis() / 1000 + 1;
    events.forEachListed(
        first, last, (createdAt, listed) -> markShownAsChanged(listed, createdAt, at, ctx));
  }

  /** Marks the contacts of {@code events} whose last listing showed them (listing only). */
  private void markShownAsChanged(ListedEvent[] events, long createdAt, long now, Context ctx)
      throws Exception {
    for (ListedEvent e : events) {
      String contact = StateKey.contact(e.workspaceId(), e.contactKey());
      if (changed.contains(contact)) {
        continue;
      }
      Long shownAt = listingShownAt.get(contact);
      if (shownAt != null && ContactResults.isListed(createdAt, shownAt)) {
        markChanged(contact, false, now, ctx);
      }
    }
  }

  /** Writes the latest summary and listing of every contact that changed. */
  private void emitSnapshots(long now, OnTimerContext ctx) throws Exception {
    long nowSeconds = now / 1000;
    String updatedAt = JsonWriter.isoMillis(now);
    Map<String, Boolean> contactsChanged = new TreeMap<>();
    for (Map.Entry<String, Boolean> e : changed.entries()) {
      contactsChanged.put(e.getKey(), e.getValue());
    }
    changed.clear();
    for (Map.Entry<String, Boolean> change : contactsChanged.entrySet()) {
      String contact = change.getKey();
      try {
        emitSnapshot(
            contact, Boolean.TRUE.equals(change.getValue()), now, nowSeconds, updatedAt, ctx);
      } catch (RuntimeException e) {
        RecordFaults.rethrowIfNotTheRecords(e);
        // No input record to reject: this contact's snapshot waits for its next change.
        LOG.warn("could not write the snapshot of a contact: {}", e.toString());
      }
    }
  }

  /** A contact's snapshot: its summary when that changed, its listing pages when they did. */
  private void emitSnapshot(
      String contact,
      boolean summaryToo,
      long now,
      long nowSeconds,
      String updatedAt,
      OnTimerContext ctx)
      throws Exception {
    ContactId id = StateKey.contactOf(contact);
    Identifiers ids = identifiers.get(contact).shown();

    Map<String, long[]> byName = new TreeMap<>(ContactResults.CODE_POINT_ORDER);
    for (Map.Entry<String, long[]> e : counts.entries()) {
      String name = StateKey.below(e.getKey(), contact);
      if (name != null) {
        byName.put(name, e.getValue());
      }
    }
    byte[] summary = ContactJson.summary(id, ids, byName, updatedAt);

    List<ListedEvent> listed = events.listing(contact, nowSeconds);
    boolean hadPages = listingShownAt.contains(contact);
    List<byte[]> pages =
        listed.isEmpty() && !hadPages
            ? List.of()
            : ContactJson.listingPages(id, ids, listed, perPage, updatedAt);

    long pagesHash = pages.isEmpty() ? 0 : contentHash(pages, updatedAt);
    Long shownHash = listingShown.get(contact);
    boolean pagesChanged = !pages.isEmpty() && (shownHash == null || shownHash != pagesHash);

    if (summaryToo) {
      ctx.output(ContactOutputs.SUMMARIES, summary);
      summaries.add(1);
    }
    if (pagesChanged) {
      for (byte[] page : pages) {
        ctx.output(ContactOutputs.LISTINGS, page);
        listingPages.add(1);
      }
    }
    if (emitStates && (summaryToo || pagesChanged)) {
      ctx.output(ContactOutputs.STATES, ContactState.of(id, ids, byName, listed, now));
    }
    if (listed.isEmpty()) {
      listingShownAt.remove(contact);
      listingShown.remove(contact);
    } else {
      listingShownAt.put(contact, nowSeconds);
      listingShown.put(contact, pagesHash);
    }
  }

  /**
   * The first 8 bytes of the SHA-256 of rendered lines without their {@code updated_at}, which each
   * ends with ({@code ,"updated_at":"..."} before the closing brace).
   */
  private long contentHash(List<byte[]> lines, String updatedAt) {
    int tail = ",\"updated_at\":\"\"}".length() + updatedAt.length();
    for (byte[] line : lines) {
      digest.update(line, 0, line.length - tail);
      digest.update((byte) '\n');
    }
    return Sha256.first8Bytes(digest.digest());
  }
}
