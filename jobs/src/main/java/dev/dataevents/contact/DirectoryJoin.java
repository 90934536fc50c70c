package dev.dataevents.contact;

import dev.dataevents.model.ContactKey;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 * ends; streams resolve each event against the entries seen so far. A record that makes the code
 * throw is rejected {@code internal_error}; the job goes on.
 */
public class DirectoryJoin
    extends KeyedCoProcessFunction<Long, ContactRecord, DirectoryEntry, ContactRecord> {
  private static final long serialVersionUID = 1L;

  private final boolean bounded;

  /** workspace + identifier -> the entry it resolves to. */
  private transient MapState<String, DirectoryEntry> entries;

  private transient ListState<ContactRecord> waiting;

  /**
   * @param bounded whether the input ends (BATCH): then events wait for all entries of the key
   */
  public DirectoryJoin(boolean bounded) {
    this.bounded = bounded;
  }

  @Override
  public void open(OpenContext openContext) {
    entries =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "directory-index", Types.STRING, TypeInformation.of(DirectoryEntry.class)));
    waiting =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>("waiting", TypeInformation.of(ContactRecord.class)));
  }

  @Override
  public void processElement1(ContactRecord record, Context ctx, Collector<ContactRecord> out)
      throws Exception {
    if (bounded) {
      waiting.add(record);
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    } else {
      resolveOrReject(record, ctx, out);
    }
  }

  @Override
  public void processElement2(DirectoryEntry entry, Context ctx, Collector<ContactRecord> out)
      throws Exception {
    String key = StateKey.contact(entry.workspaceId(), entry.indexKey());
    DirectoryEntry current = entries.get(key);
    if (current == null || (bounded && entry.position() < current.position())) {
      entries.put(key, entry);
    }
    if (bounded) {
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ContactRecord> out)
      throws Exception {
    List<ContactRecord> records = new ArrayList<>();
    waiting.get().forEach(records::add);
    records.sort(Comparator.comparingLong(ContactRecord::position));
    for (ContactRecord record : records) {
      resolveOrReject(record, ctx, out);
    }
    waiting.clear();
    entries.clear();
  }

  /** Resolves one record; one that makes the code throw is rejected, never a failed job. */
  private void resolveOrReject(ContactRecord record, Context ctx, Collector<ContactRecord> out)
      throws Exception {
    try {
      resolve(record, ctx, out);
    } catch (RuntimeException e) {
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
