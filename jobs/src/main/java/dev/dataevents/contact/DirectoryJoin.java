package dev.dataevents.contact;

import dev.dataevents.model.ContactKey;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.RecordFaults;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.reporting.CheckpointedCounts;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.CountingFunction;
import dev.dataevents.reporting.RunCounter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Resolves events (and imported summaries) to contacts of the directory: a keyed join on
 * (workspace, identifier), where an event's key is its contact key (its first present identifier)
 * and each directory entry is indexed once per identifier. Not a broadcast: a key holds only the
 * entries and events of one identifier, so the directory may be larger than memory; in BATCH mode
 * Flink sorts both inputs by key, a sort-based join.
 *
 * <p>Where entries share an identifier, the one with the smallest input position (bounded) or first
 * to arrive (streams) takes it. No entry: {@code contact_not_found}; a lead found by anything but
 * its id: {@code lead_requires_id} (both 404). Bounded runs hold a key's events until its input
 * ends. Streams resolve each event against the entries seen so far, and hold an event whose entry
 * has not been seen (yet) until it arrives, or until no entry at all has arrived for {@link
 * #QUIET_MILLIS} (at most {@link #LONGEST_WAIT_MILLIS}, counted again from a restore): the
 * directory and the events are read at the same time, so a directory file that is there when the
 * stream starts may reach this join after the first events. A record that makes the code throw is
 * rejected {@code internal_error}; the job goes on.
 */
public class DirectoryJoin
    extends KeyedCoProcessFunction<Long, ContactRecord, DirectoryEntry, ContactRecord>
    implements CountingFunction {
  private static final long serialVersionUID = 1L;

  /** How long a stream waits for a quiet directory before an unknown contact is rejected. */
  static final long QUIET_MILLIS = 5_000;

  /** The longest a stream holds an event for its directory entry, however busy the directory. */
  static final long LONGEST_WAIT_MILLIS = 5 * 60_000;

  private final boolean bounded;

  /** workspace + identifier -> the entry it resolves to. */
  private transient MapState<String, DirectoryEntry> entries;

  private transient ListState<ContactRecord> waiting;

  /** In a stream: when the key's first waiting event began to wait (processing time). */
  private transient ValueState<Long> waitingSince;

  /** In a stream: the processing-time timer set for the key's waiting events. */
  private transient ValueState<Long> waitTimer;

  /**
   * In a stream: when this subtask last saw a directory entry, or began (processing time); set in
   * {@link #open}, since Java serialization skips a transient field's initializer.
   */
  private transient long lastEntryMillis;

  /** In a stream: when this subtask began (processing time); set with the first record or timer. */
  private transient long startMillis;

  private final CheckpointedCounts counts = new CheckpointedCounts();

  /**
   * Input records, taken back while an event waits and given again when it is resolved or rejected:
   * a stream's report balances at every checkpoint, a waiting event not yet counted.
   */
  private transient RunCounter inputRecords;

  /**
   * @param bounded whether the input ends (BATCH): then events wait for all entries of the key
   */
  public DirectoryJoin(boolean bounded) {
    this.bounded = bounded;
  }

  @Override
  public CheckpointedCounts reportCounts() {
    return counts;
  }

  @Override
  public void open(OpenContext openContext) {
    lastEntryMillis = Long.MIN_VALUE;
    startMillis = Long.MIN_VALUE;
    inputRecords = counts.counter(Counters.INPUT_RECORDS);
    entries =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "directory-index", Types.STRING, TypeInformation.of(DirectoryEntry.class)));
    waiting =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>("waiting", TypeInformation.of(ContactRecord.class)));
    waitingSince =
        getRuntimeContext().getState(new ValueStateDescriptor<>("waiting-since", Types.LONG));
    waitTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("wait-timer", Types.LONG));
  }

  @Override
  public void processElement1(ContactRecord record, Context ctx, Collector<ContactRecord> out)
      throws Exception {
    if (bounded) {
      waiting.add(record);
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    } else {
      long now = ctx.timerService().currentProcessingTime();
      noteStart(now);
      if (waitingSince.value() != null || !resolvable(record)) {
        holdUntilItsEntryArrives(record, now, ctx);
      } else {
        resolveOrReject(record, ctx, out);
      }
    }
  }

  /** Whether the entry the record's contact key names has been seen. */
  private boolean resolvable(ContactRecord record) throws Exception {
    return entries.contains(StateKey.contact(record.workspaceId(), record.contactKey()));
  }

  private void holdUntilItsEntryArrives(ContactRecord record, long now, Context ctx)
      throws Exception {
    waiting.add(record);
    inputRecords.add(-1);
    if (waitingSince.value() == null) {
      waitingSince.update(now);
      setWaitTimer(now + QUIET_MILLIS, ctx);
    }
  }

  private void noteStart(long now) {
    if (startMillis == Long.MIN_VALUE) {
      startMillis = now;
      lastEntryMillis = Math.max(lastEntryMillis, now);
    }
  }

  @Override
  public void processElement2(DirectoryEntry entry, Context ctx, Collector<ContactRecord> out)
      throws Exception {
    String key = StateKey.contact(entry.workspaceId(), entry.indexKey());
    DirectoryEntry current = entries.get(key);
    // The smaller input position wins. A stream orders positions within a file only (a watched
    // file's lines, not its files): entries of one file reach the join in the order the scheduler
    // gives them (their ids are deduplicated on other subtasks), so there too the earlier line
    // wins; across files, the first to arrive.
    if (current == null
        || ((bounded || entry.source().equals(current.source()))
            && entry.position() < current.position())) {
      entries.put(key, entry);
    }
    if (bounded) {
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    } else {
      long now = ctx.timerService().currentProcessingTime();
      noteStart(now);
      lastEntryMillis = now;
      if (waitingSince.value() != null) {
        resolveWaiting(ctx, out);
      }
    }
  }

  /**
   * The key's waiting events that an entry now resolves go on, in the order they came; the others
   * (another identifier whose key hash is the same) wait on.
   */
  private void resolveWaiting(Context ctx, Collector<ContactRecord> out) throws Exception {
    List<ContactRecord> still = new ArrayList<>();
    for (ContactRecord record : waiting.get()) {
      if (still.isEmpty() && resolvable(record)) {
        inputRecords.add(1);
        resolveOrReject(record, ctx, out);
      } else {
        still.add(record); // behind one that waits on, to keep their order
      }
    }
    if (still.isEmpty()) {
      ctx.timerService().deleteProcessingTimeTimer(waitTimer.value());
      forgetWaiting();
    } else {
      waiting.update(still);
    }
  }

  /** Resolves or rejects every waiting event of the key in the order they came. */
  private void releaseWaiting(Context ctx, Collector<ContactRecord> out) throws Exception {
    for (ContactRecord record : waiting.get()) {
      inputRecords.add(1);
      resolveOrReject(record, ctx, out);
    }
    forgetWaiting();
  }

  private void forgetWaiting() {
    waiting.clear();
    waitingSince.clear();
    waitTimer.clear();
  }

  private void setWaitTimer(long at, Context ctx) throws Exception {
    waitTimer.update(at);
    ctx.timerService().registerProcessingTimeTimer(at);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactRecord> out)
      throws Exception {
    if (!bounded) {
      onWaitTimer(timestamp, ctx, out);
      return;
    }
    List<ContactRecord> records = new ArrayList<>();
    waiting.get().forEach(records::add);
    records.sort(Comparator.comparingLong(ContactRecord::position));
    for (ContactRecord record : records) {
      resolveOrReject(record, ctx, out);
    }
    waiting.clear();
    entries.clear();
  }

  /**
   * A stream's waiting events: rejected once the directory has been quiet for {@link #QUIET_MILLIS}
   * or they have waited {@link #LONGEST_WAIT_MILLIS}; else the wait goes on.
   */
  private void onWaitTimer(long timestamp, OnTimerContext ctx, Collector<ContactRecord> out)
      throws Exception {
    Long since = waitingSince.value();
    if (since == null) {
      return;
    }
    // After a restore the directory gets its quiet time again, from now (an overdue timer fires
    // at once, its timestamp long past), and the longest wait starts again: the time the stream
    // was down is no waiting, and the directory may have grown meanwhile.
    long now = ctx.timerService().currentProcessingTime();
    noteStart(now);
    long quietAt = lastEntryMillis + QUIET_MILLIS;
    long giveUpAt = Math.max(since, startMillis) + LONGEST_WAIT_MILLIS;
    if (now < quietAt && now < giveUpAt) {
      setWaitTimer(Math.min(quietAt, giveUpAt), ctx);
      return;
    }
    releaseWaiting(ctx, out);
  }

  /** Resolves one record; one that makes the code throw is rejected, never a failed job. */
  private void resolveOrReject(ContactRecord record, Context ctx, Collector<ContactRecord> out)
      throws Exception {
    try {
      resolve(record, ctx, out);
    } catch (RuntimeException e) {
      RecordFaults.rethrowIfNotTheRecords(e);
      ctx.output(ContactOutputs.REJECTED, ContactOutputs.internalError(record, e));
    }
  }

  /** Sends the record on under its directory contact, or rejects it (404). */
  void resolve(ContactRecord record, Context ctx, Collector<ContactRecord> out) throws Exception {
    DirectoryEntry entry = entries.get(StateKey.contact(record.workspaceId(), record.contactKey()));
    if (entry == null) {
      reject(
          record,
          RejectionReason.CONTACT_NOT_FOUND,
          "no contact in the directory has " + record.contactKey(),
          ctx);
    } else if (entry.lead() && !ContactKey.isById(record.contactKey())) {
      reject(
          record,
          RejectionReason.LEAD_REQUIRES_ID,
          "contact " + entry.id() + " is a lead: leads are identified by their id only",
          ctx);
    } else {
      out.collect(record.resolvedTo(entry));
    }
  }

  private static void reject(
      ContactRecord record, RejectionReason reason, String message, Context ctx) {
    ctx.output(
        ContactOutputs.REJECTED,
        Rejection.of(
            reason,
            null,
            message,
            record.source(),
            record.position(),
            Objects.requireNonNullElse(record.raw(), "")));
  }
}
