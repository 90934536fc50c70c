package dev.dataevents.contact;

import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ContactState;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.output.ContactJson;
import dev.dataevents.output.RecordJson;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunCounter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns everything about one contact in a bounded run: the dedup set, and at end of input its
 * accepted events, its summary and its listing pages. Flink's BATCH mode sorts the input by key, so
 * only one contact's state is held at a time whatever the input size.
 *
 * <p>The key is a hash of the contact ({@link ContactRecord#contactHash()}); the rare contacts
 * whose hashes collide share the key's state and are kept apart here: identities include the
 * contact, and results are emitted per contact.
 *
 * <p>Which copy of a duplicate wins must not depend on scheduling: records of a key do not arrive
 * in input order, so the copy with the smallest input position is kept, whatever came first.
 * Everything emitted is sorted, so a subtask's output is the same on every run.
 *
 * <p>A record that makes the code throw is rejected {@code internal_error} and the job goes on; if
 * a contact's results cannot be built, each of its records is.
 */
public class ContactFunction extends KeyedProcessFunction<Long, ContactRecord, String> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ContactFunction.class);

  private static final Comparator<ContactRecord> BY_POSITION =
      Comparator.comparingLong(ContactRecord::position);

  private final SourceCatalog catalog;
  private final long referenceTime;
  private final int perPage;
  private final boolean writeDuplicates;
  private boolean emitStates;

  private transient MapState<String, ContactRecord> kept;
  private transient ListState<ContactRecord> duplicates;
  private transient RunCounter accepted;
  private transient RunCounter duplicateCount;
  private transient RunCounter keysDropped;
  private transient RunCounter valuesTruncated;
  private transient RunCounter summariesImported;
  private transient RunCounter contacts;
  private transient RunCounter summaries;
  private transient RunCounter listingPages;

  /**
   * @param catalog the run's input files, to name a duplicate's source
   * @param referenceTime Unix seconds that the 90-day listing window ends at
   * @param perPage events per listing page
   * @param writeDuplicates whether duplicates are written out ({@code --duplicates})
   */
  public ContactFunction(
      SourceCatalog catalog, long referenceTime, int perPage, boolean writeDuplicates) {
    this.catalog = catalog;
    this.referenceTime = referenceTime;
    this.perPage = perPage;
    this.writeDuplicates = writeDuplicates;
  }

  /**
   * Also emits each contact's {@link ContactState} to {@link ContactOutputs#STATES}, for a
   * database; call before the job is defined.
   */
  public ContactFunction withContactStates() {
    this.emitStates = true;
    return this;
  }

  @Override
  public void open(OpenContext openContext) {
    TypeInformation<ContactRecord> recordType = TypeInformation.of(ContactRecord.class);
    kept =
        getRuntimeContext().getMapState(new MapStateDescriptor<>("kept", Types.STRING, recordType));
    duplicates =
        getRuntimeContext().getListState(new ListStateDescriptor<>("duplicates", recordType));
    accepted = RunCounter.of(getRuntimeContext(), Counters.ACCEPTED);
    duplicateCount = RunCounter.of(getRuntimeContext(), Counters.DUPLICATES);
    keysDropped = RunCounter.of(getRuntimeContext(), Counters.METADATA_KEYS_DROPPED);
    valuesTruncated = RunCounter.of(getRuntimeContext(), Counters.METADATA_VALUES_TRUNCATED);
    summariesImported = RunCounter.of(getRuntimeContext(), Counters.SUMMARY_RECORDS_IMPORTED);
    contacts = RunCounter.of(getRuntimeContext(), Counters.CONTACTS);
    summaries = RunCounter.of(getRuntimeContext(), Counters.SUMMARIES);
    listingPages = RunCounter.of(getRuntimeContext(), Counters.LISTING_PAGES);
  }

  /**
   * What makes two records the same: the contact, and an event's name and {@code created_at} or an
   * imported summary line's content after normalisation.
   */
  public static String identity(ContactRecord r) {
    if (!r.summaryImport()) {
      return StateKey.of(
          r.workspaceId(), r.contactKey(), "e", r.eventName(), Long.toString(r.createdAt()));
    }
    return StateKey.of(
        r.workspaceId(),
        r.contactKey(),
        "s",
        String.join("\u0001", r.summaryNames()),
        Arrays.toString(r.summaryCounts())
            + Arrays.toString(r.summaryFirsts())
            + Arrays.toString(r.summaryLasts()));
  }

  @Override
  public void processElement(ContactRecord record, Context ctx, Collector<String> out)
      throws Exception {
    try {
      process(record, ctx);
    } catch (RuntimeException e) {
      reject(record, e, ctx);
    }
  }

  private void process(ContactRecord record, Context ctx) throws Exception {
    String identity = identity(record);
    ContactRecord previous = kept.get(identity);
    if (previous == null) {
      kept.put(identity, record);
      // In BATCH mode a timer at the end of time fires when the key's input ends.
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
      return;
    }
    duplicateCount.add(1);
    ContactRecord loser = record;
    if (record.position() < previous.position()) {
      kept.put(identity, record);
      loser = previous;
    }
    if (writeDuplicates) {
      duplicates.add(loser);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
    Map<ContactId, List<ContactRecord>> byContact = new TreeMap<>(ContactId.ORDER);
    for (ContactRecord r : kept.values()) {
      byContact.computeIfAbsent(r.contactId(), c -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<ContactId, List<ContactRecord>> contact : byContact.entrySet()) {
      List<ContactRecord> records = contact.getValue();
      records.sort(BY_POSITION);
      emitContact(contact.getKey(), records, out, ctx);
    }

    if (writeDuplicates) {
      List<ContactRecord> losers = new ArrayList<>();
      duplicates.get().forEach(losers::add);
      losers.sort(BY_POSITION);
      for (ContactRecord loser : losers) {
        ContactRecord winner = kept.get(identity(loser));
        try {
          ctx.output(
              ContactOutputs.DUPLICATES,
              RecordJson.duplicate(
                  sourceOf(loser.position()),
                  InputPosition.line(loser.position()),
                  sourceOf(winner.position()),
                  InputPosition.line(winner.position()),
                  loser.raw()));
        } catch (RuntimeException e) {
          // Counted as a duplicate already; only its line in duplicates/ is missing.
          LOG.warn("could not write a duplicate: {}", e.toString());
        }
      }
    }
    kept.clear();
    duplicates.clear();
  }

  /** What one contact adds to the outputs, rendered before anything is emitted. */
  private record Rendered(
      List<String> events, String summary, List<String> pages, ContactState state) {}

  /**
   * Emits one contact's accepted events, summary and listing pages. If they cannot be rendered,
   * each of its records is rejected {@code internal_error} instead, and nothing of it is emitted or
   * counted.
   */
  private void emitContact(
      ContactId contact, List<ContactRecord> records, Collector<String> out, OnTimerContext ctx) {
    Rendered rendered;
    try {
      rendered = render(contact, records);
    } catch (RuntimeException e) {
      for (ContactRecord r : records) {
        reject(r, e, ctx);
      }
      return;
    }
    rendered.events().forEach(out::collect);
    for (ContactRecord r : records) {
      if (r.summaryImport()) {
        summariesImported.add(1);
      } else {
        keysDropped.add(r.metadataKeysDropped());
        valuesTruncated.add(r.metadataValuesTruncated());
      }
    }
    accepted.add(records.size());
    ctx.output(ContactOutputs.SUMMARIES, rendered.summary());
    contacts.add(1);
    summaries.add(1);
    for (String page : rendered.pages()) {
      ctx.output(ContactOutputs.LISTINGS, page);
      listingPages.add(1);
    }
    if (rendered.state() != null) {
      ctx.output(ContactOutputs.STATES, rendered.state());
    }
  }

  private Rendered render(ContactId contact, List<ContactRecord> records) {
    List<String> events = new ArrayList<>(records.size());
    for (ContactRecord r : records) {
      if (!r.summaryImport()) {
        events.add(RecordJson.acceptedEvent(r));
      }
    }
    ContactResults results = new ContactResults(contact, records);
    Map<String, long[]> counts = results.summaryCounts();
    List<ListedEvent> listed = results.listed(referenceTime);
    return new Rendered(
        events,
        ContactJson.summary(contact, results.identifiers(), counts, null),
        ContactJson.listingPages(contact, results.identifiers(), listed, perPage, null),
        emitStates
            ? ContactState.of(contact, results.identifiers(), counts, listed, referenceTime * 1000)
            : null);
  }

  /**
   * A record that made the code throw: rejected, never a failed job. A bounded run keeps no raw
   * line past parsing, so {@code raw} is empty unless the run kept it.
   */
  private void reject(ContactRecord record, RuntimeException e, Context ctx) {
    ctx.output(
        ContactOutputs.REJECTED,
        Rejection.internalError(
            String.valueOf(e), rejectionSource(record), record.position(), record.raw()));
  }

  private String rejectionSource(ContactRecord record) {
    if (record.source() != null) {
      return record.source();
    }
    try {
      return sourceOf(record.position());
    } catch (RuntimeException e) {
      return "input " + InputPosition.sourceIndex(record.position());
    }
  }

  private String sourceOf(long position) {
    return catalog.get(InputPosition.sourceIndex(position)).source();
  }
}
