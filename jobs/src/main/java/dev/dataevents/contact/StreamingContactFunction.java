package dev.dataevents.contact;

import dev.dataevents.job.CheckpointedCounts;
import dev.dataevents.job.Counters;
import dev.dataevents.job.RunCounter;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.output.JsonWriter;
import dev.dataevents.output.RecordJson;
import java.util.ArrayList;
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
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
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
 *   <li>Dedup is exact within the horizon of {@code created_at} age; an identity is dropped from
 *       state when it ages past it (a timer), and an older event is rejected {@code
 *       outside_dedup_horizon} (a backfill, which is exact, takes it). Listed events age out of the
 *       listing after 90 days of processing time the same way.
 * </ul>
 *
 * <p>The key is a hash of the contact; contacts whose hashes collide share the key and are kept
 * apart by including the contact in every state key.
 */
public class StreamingContactFunction extends KeyedProcessFunction<Long, ContactRecord, String>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private transient CheckpointedCounts reportCounts;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    reportCounts = CheckpointedCounts.restore(getRuntimeContext(), context, "contacts");
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    reportCounts.snapshot(context);
  }

  private final long emitIntervalMillis;
  private final long dedupHorizonSeconds;
  private final int perPage;

  /** identity -> created_at, for dedup within the horizon. */
  private transient MapState<String, Long> seen;

  /** contact + name -> [count, first, last]. */
  private transient MapState<String, long[]> counts;

  /** identity -> event, for events less than 90 days old. */
  private transient MapState<String, ContactRecord> listed;

  private transient MapState<String, LatestIdentifiers> identifiers;

  /** Contacts changed since their last snapshot -> whether they ever had a listing page. */
  private transient MapState<String, Boolean> changed;

  /** Contacts that had listing pages in their last snapshot. */
  private transient MapState<String, Boolean> hadListing;

  private transient ValueState<Long> emitTimer;
  private transient ValueState<Long> expiryTimer;

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
    this.perPage = perPage;
  }

  @Override
  public void open(OpenContext openContext) {
    var ctx = getRuntimeContext();
    seen = ctx.getMapState(new MapStateDescriptor<>("seen", Types.STRING, Types.LONG));
    counts =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "counts", Types.STRING, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    listed =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "listed", Types.STRING, TypeInformation.of(ContactRecord.class)));
    identifiers =
        ctx.getMapState(
            new MapStateDescriptor<>(
                "identifiers", Types.STRING, TypeInformation.of(LatestIdentifiers.class)));
    changed = ctx.getMapState(new MapStateDescriptor<>("changed", Types.STRING, Types.BOOLEAN));
    hadListing =
        ctx.getMapState(new MapStateDescriptor<>("had-listing", Types.STRING, Types.BOOLEAN));
    emitTimer = ctx.getState(new ValueStateDescriptor<>("emit-timer", Types.LONG));
    expiryTimer = ctx.getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
    accepted = reportCounts.counter(Counters.ACCEPTED);
    duplicates = reportCounts.counter(Counters.DUPLICATES);
    keysDropped = reportCounts.counter(Counters.METADATA_KEYS_DROPPED);
    valuesTruncated = reportCounts.counter(Counters.METADATA_VALUES_TRUNCATED);
    contacts = reportCounts.counter(Counters.CONTACTS);
    summaries = reportCounts.counter(Counters.SUMMARIES);
    listingPages = reportCounts.counter(Counters.LISTING_PAGES);
  }

  private static String contactOf(ContactRecord r) {
    return r.workspaceId() + "\u0000" + r.contactKey();
  }

  private static ContactId contactId(String contact) {
    int split = contact.indexOf('\u0000');
    return new ContactId(contact.substring(0, split), contact.substring(split + 1));
  }

  @Override
  public void processElement(ContactRecord record, Context ctx, Collector<String> out)
      throws Exception {
    try {
      process(record, ctx, out);
    } catch (RuntimeException e) {
      // One record must never fail the job (a restart would meet it again, in a loop).
      ctx.output(
          ContactOutputs.REJECTED,
          Rejection.of(
              RejectionReason.INTERNAL_ERROR,
              null,
              "the record could not be processed: " + e,
              record.source(),
              record.position(),
              record.raw()));
    }
  }

  private void process(ContactRecord record, Context ctx, Collector<String> out) throws Exception {
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
    String identity = ContactFunction.identity(record);
    if (seen.contains(identity)) {
      duplicates.add(1);
      return;
    }
    seen.put(identity, record.createdAt());
    accepted.add(1);
    keysDropped.add(record.metadataKeysDropped());
    valuesTruncated.add(record.metadataValuesTruncated());
    out.collect(RecordJson.acceptedEvent(record));

    String contact = contactOf(record);
    String countKey = contact + "\u0000" + record.eventName();
    long[] count = counts.get(countKey);
    if (count == null) {
      count = new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE};
    }
    count[0]++;
    count[1] = Math.min(count[1], record.createdAt());
    count[2] = Math.max(count[2], record.createdAt());
    counts.put(countKey, count);
    LatestIdentifiers ids = identifiers.get(contact);
    if (ids == null) {
      contacts.add(1);
      ids = LatestIdentifiers.NONE;
    }
    identifiers.put(contact, ids.with(record));
    if (nowSeconds - record.createdAt() < ContactResults.LISTING_WINDOW_SECONDS) {
      listed.put(identity, record);
    }
    markChanged(contact, now, ctx);
    scheduleExpiry(expiryOf(record.createdAt()), ctx);
  }

  /** When this event's state next changes: it leaves the listing, or the dedup horizon. */
  private long expiryOf(long createdAt) {
    long listing = createdAt + ContactResults.LISTING_WINDOW_SECONDS;
    long horizon = createdAt + dedupHorizonSeconds;
    return Math.min(listing, horizon) * 1000;
  }

  /**
   * Notes a contact as changed; its snapshot follows one emit interval later, together with every
   * other change in that interval. A change right after a snapshot waits a full interval, so a
   * contact gets at most one snapshot per interval.
   */
  private void markChanged(String contact, long now, Context ctx) throws Exception {
    changed.put(contact, true);
    if (emitTimer.value() == null) {
      long at = now + emitIntervalMillis;
      ctx.timerService().registerProcessingTimeTimer(at);
      emitTimer.update(at);
    }
  }

  private void scheduleExpiry(long at, Context ctx) throws Exception {
    Long current = expiryTimer.value();
    if (current != null && current <= at) {
      return;
    }
    if (current != null) {
      ctx.timerService().deleteProcessingTimeTimer(current);
    }
    ctx.timerService().registerProcessingTimeTimer(at);
    expiryTimer.update(at);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
    Long expiry = expiryTimer.value();
    if (expiry != null && timestamp >= expiry) {
      expiryTimer.clear();
      expire(timestamp, ctx);
    }
    Long emit = emitTimer.value();
    if (emit != null && timestamp >= emit) {
      emitTimer.clear();
      emitSnapshots(timestamp, ctx);
    }
  }

  /** Drops identities past the dedup horizon and events past the listing window. */
  private void expire(long now, OnTimerContext ctx) throws Exception {
    long nowSeconds = now / 1000;
    long next = Long.MAX_VALUE;
    List<String> forgotten = new ArrayList<>();
    for (Map.Entry<String, Long> e : seen.entries()) {
      if (e.getValue() <= nowSeconds - dedupHorizonSeconds) {
        forgotten.add(e.getKey());
      } else {
        next = Math.min(next, (e.getValue() + dedupHorizonSeconds) * 1000);
      }
    }
    for (String identity : forgotten) {
      seen.remove(identity);
    }
    if (seen.isEmpty()) {
      seen.clear(); // drops the key's entry itself, not only its contents
    }
    List<String> aged = new ArrayList<>();
    for (Map.Entry<String, ContactRecord> e : listed.entries()) {
      long createdAt = e.getValue().createdAt();
      if (nowSeconds - createdAt >= ContactResults.LISTING_WINDOW_SECONDS) {
        aged.add(e.getKey());
        markChanged(contactOf(e.getValue()), now, ctx);
      } else {
        next = Math.min(next, (createdAt + ContactResults.LISTING_WINDOW_SECONDS) * 1000);
      }
    }
    for (String identity : aged) {
      listed.remove(identity);
    }
    if (listed.isEmpty()) {
      listed.clear();
    }
    if (next != Long.MAX_VALUE) {
      ctx.timerService().registerProcessingTimeTimer(next);
      expiryTimer.update(next);
    }
  }

  /** Writes the latest summary and listing of every contact that changed. */
  private void emitSnapshots(long now, OnTimerContext ctx) throws Exception {
    String updatedAt = JsonWriter.isoMillis(now);
    List<String> contactsChanged = new ArrayList<>();
    changed.keys().forEach(contactsChanged::add);
    contactsChanged.sort(null);
    changed.clear();
    for (String contact : contactsChanged) {
      ContactId id = contactId(contact);
      ContactResults.Identifiers ids = identifiers.get(contact).shown();

      Map<String, long[]> byName = new TreeMap<>(ContactResults.CODE_POINT_ORDER);
      String prefix = contact + "\u0000";
      for (Map.Entry<String, long[]> e : counts.entries()) {
        if (e.getKey().startsWith(prefix)) {
          byName.put(e.getKey().substring(prefix.length()), e.getValue());
        }
      }
      ctx.output(ContactOutputs.SUMMARIES, ContactResults.summaryJson(id, ids, byName, updatedAt));
      summaries.add(1);

      List<ContactRecord> events = new ArrayList<>();
      for (ContactRecord r : listed.values()) {
        if (contactOf(r).equals(contact)) {
          events.add(r);
        }
      }
      events.sort(ContactResults.NEWEST_FIRST);
      if (events.isEmpty() && !Boolean.TRUE.equals(hadListing.get(contact))) {
        continue;
      }
      for (String page : ContactResults.listingJson(id, ids, events, perPage, updatedAt)) {
        ctx.output(ContactOutputs.LISTINGS, page);
        listingPages.add(1);
      }
      if (events.isEmpty()) {
        hadListing.remove(contact);
      } else {
        hadListing.put(contact, true);
      }
    }
  }
}
