package dev.dataevents.contact;

import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ContactState;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.PackedContactRecord;
import dev.dataevents.model.RecordFaults;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.binary.ContactRecordPacker;
import dev.dataevents.output.ContactJson;
import dev.dataevents.output.RecordJson;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunCounter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Owns everything about one contact in a bounded run: the dedup set, its accepted events, and at
 * end of input its summary and its listing pages.
 *
 * <p>Input order: the bounded topology gives every record its input position as timestamp, and
 * Flink's BATCH mode sorts a keyed input by key and then by timestamp. So each key's records arrive
 * together and in input order: the first copy of an identity is the one with the smallest input
 * position (which copy wins never depends on scheduling), and each accepted event is written as it
 * arrives. What is held per contact until its end is its dedup set (in keyed state), its counts per
 * event name and the events of its listing window: memory is bounded by a contact's listing, not by
 * its history or by the input. A record out of input order is a broken setup, not bad input: it
 * fails the job.
 *
 * <p>The key is a hash of the contact ({@link ContactRecord#contactHash()}); the rare contacts
 * whose hashes collide share the key's state and are kept apart here: identities include the
 * contact, and results are built and emitted per contact.
 *
 * <p>A record that makes the code throw is rejected {@code internal_error} and the job goes on;
 * nothing of it is counted or written. Each record is checked for all its contact's results need
 * ({@link ContactResults#add}) before anything of it is emitted.
 */
public class ContactFunction extends KeyedProcessFunction<Long, PackedContactRecord, byte[]> {
  private static final long serialVersionUID = 1L;

  private final SourceCatalog catalog;
  private final long referenceTime;
  private final int perPage;
  private final boolean writeDuplicates;
  private boolean emitStates;

  /** Identity -> input position of the copy that was kept. */
  private transient MapState<String, Long> kept;

  /**
   * The contacts of the keys whose input has not ended: in BATCH only the current key's, which its
   * end timer emits and removes before the next key's records come.
   */
  private transient Map<Long, Map<ContactId, OpenContact>> open;

  /** Unpacks each record (it crosses the keyBy packed: {@link PackedContactRecord}). */
  private transient ContactRecordPacker packer;

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
    kept =
        getRuntimeContext().getMapState(new MapStateDescriptor<>("kept", Types.STRING, Types.LONG));
    open = new HashMap<>();
    packer = new ContactRecordPacker();
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
   * What makes two records of one contact the same: an event's name and {@code created_at}, or an
   * imported summary line's content after normalisation. The contact is the key's {@code n}th
   * (contacts whose key hashes collide share the key's state): its number, not its workspace and
   * contact key, goes first, which keeps the identity short for a backfill that builds and hashes
   * one per record. Unambiguous: the number and the time are digits ended by a colon.
   */
  static String identity(int contact, ContactRecord r) {
    if (!r.summaryImport()) {
      return contact + ":e" + r.createdAt() + ":" + r.eventName();
    }
    return contact
        + ":s"
        + String.join("\u0001", r.summaryNames())
        + "\u0000"
        + Arrays.toString(r.summaryCounts())
        + Arrays.toString(r.summaryFirsts())
        + Arrays.toString(r.summaryLasts());
  }

  /** One contact of the current key: its results so far, and where its input has got to. */
  private static final class OpenContact {
    /** Which of its key's contacts it is: 0, or more when contacts' key hashes collide. */
    final int number;

    final ContactResults results;
    long lastPosition = Long.MIN_VALUE;
    long acceptedRecords;

    OpenContact(int number, ContactResults results) {
      this.number = number;
      this.results = results;
    }
  }

  @Override
  public void processElement(PackedContactRecord packed, Context ctx, Collector<byte[]> out)
      throws Exception {
    ContactRecord record = packer.unpack(packed);
    OpenContact contact = openContact(record, ctx);
    if (record.position() <= contact.lastPosition) {
      throw new IllegalStateException(
          "records of a contact must arrive in input order (a BATCH keyed input sorted by key and"
              + " timestamp = input position); got position "
              + record.position()
              + " after "
              + contact.lastPosition);
    }
    contact.lastPosition = record.position();
    try {
      process(record, contact, ctx, out);
    } catch (RuntimeException e) {
      RecordFaults.rethrowIfNotTheRecords(e);
      reject(record, e, ctx);
    }
  }

  private OpenContact openContact(ContactRecord record, Context ctx) {
    Map<ContactId, OpenContact> ofKey = open.get(ctx.getCurrentKey());
    if (ofKey == null) {
      ofKey = new TreeMap<>(ContactId.ORDER);
      open.put(ctx.getCurrentKey(), ofKey);
      // In BATCH mode a timer at the end of time fires when the key's input ends.
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }
    ContactId id = record.contactId();
    OpenContact contact = ofKey.get(id);
    if (contact == null) {
      contact = new OpenContact(ofKey.size(), new ContactResults(id, referenceTime));
      ofKey.put(id, contact);
    }
    return contact;
  }

  private void process(
      ContactRecord record, OpenContact contact, Context ctx, Collector<byte[]> out)
      throws Exception {
    String identity = identity(contact.number, record);
    Long winner = kept.get(identity);
    if (winner != null) {
      // The kept copy came first, so it has the smaller input position.
      duplicateCount.add(1);
      if (writeDuplicates) {
        ctx.output(
            ContactOutputs.DUPLICATES,
            RecordJson.duplicate(
                sourceOf(record.position()),
                InputPosition.line(record.position()),
                sourceOf(winner),
                InputPosition.line(winner),
                record.raw()));
      }
      return;
    }
    // Everything that may throw first: then the record is rejected and nothing of it is kept.
    byte[] line = record.summaryImport() ? null : RecordJson.acceptedEvent(record);
    contact.results.add(record);
    kept.put(identity, record.position());
    contact.acceptedRecords++;
    accepted.add(1);
    if (line != null) {
      out.collect(line);
      keysDropped.add(record.metadataKeysDropped());
      valuesTruncated.add(record.metadataValuesTruncated());
    } else {
      summariesImported.add(1);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<byte[]> out) throws Exception {
    Map<ContactId, OpenContact> ofKey = open.remove(ctx.getCurrentKey());
    if (ofKey != null) {
      for (OpenContact contact : ofKey.values()) {
        if (contact.acceptedRecords > 0) {
          emitContact(contact.results, ctx);
        }
      }
    }
    kept.clear();
  }

  /**
   * Emits one contact's summary and listing pages. Every record was checked as it was added, so
   * rendering them cannot fail on input; if it does all the same, that is a bug, and the job fails
   * rather than write a contact's events without its summary.
   */
  private void emitContact(ContactResults results, OnTimerContext ctx) {
    ContactId contact = results.contact();
    Identifiers identifiers = results.identifiers();
    SortedMap<String, long[]> counts = results.summaryCounts();
    List<ListedEvent> listed = results.listed();
    ctx.output(ContactOutputs.SUMMARIES, ContactJson.summary(contact, identifiers, counts, null));
    contacts.add(1);
    summaries.add(1);
    for (byte[] page : ContactJson.listingPages(contact, identifiers, listed, perPage, null)) {
      ctx.output(ContactOutputs.LISTINGS, page);
      listingPages.add(1);
    }
    if (emitStates) {
      ctx.output(
          ContactOutputs.STATES,
          ContactState.of(contact, identifiers, counts, listed, referenceTime * 1000));
    }
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
