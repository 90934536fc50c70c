package dev.dataevents.contact;

import dev.dataevents.json.JsonWriter;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ContactState;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.RecordFaults;
import dev.dataevents.output.ContactJson;
import dev.dataevents.reporting.RunCounter;
import dev.dataevents.text.Sha256;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of a stream key's contacts, in keyed state: which contacts changed since their last
 * snapshot, what their last listing pages showed, and the emit timer that writes the next
 * snapshots, each from a {@link SummaryState} and an {@link EventsByCreatedAt} listing. Created in
 * {@link StreamingContactFunction#open}.
 */
final class ContactSnapshots {
  /** Logs as the function whose snapshots these are. */
  private static final Logger LOG = LoggerFactory.getLogger(StreamingContactFunction.class);

  private final long emitIntervalMillis;
  private final int perPage;
  private final boolean emitStates;
  private final SummaryState summary;
  private final EventsByCreatedAt events;

  /**
   * Contacts changed since their last snapshot: true when the summary changed too, false when only
   * the listing did (an event aged out).
   */
  private final MapState<String, Boolean> changed;

  /** Contacts whose last snapshot had listing pages -> that snapshot's time, Unix seconds. */
  private final MapState<String, Long> listingShownAt;

  /**
   * What each contact's last listing pages held but for {@code updated_at} (a hash): pages that
   * would say the same are not written again when only the summary changed.
   */
  private final MapState<String, Long> listingShown;

  private final MessageDigest digest;

  private final ValueState<Long> emitTimer;

  private final RunCounter summaries;
  private final RunCounter listingPages;

  /**
   * @param emitIntervalMillis at most one snapshot of a contact per this interval
   * @param perPage events per listing page
   * @param emitStates whether each snapshot also goes to {@link ContactOutputs#STATES}
   */
  ContactSnapshots(
      RuntimeContext ctx,
      long emitIntervalMillis,
      int perPage,
      boolean emitStates,
      SummaryState summary,
      EventsByCreatedAt events,
      RunCounter summaries,
      RunCounter listingPages) {
    this.emitIntervalMillis = emitIntervalMillis;
    this.perPage = perPage;
    this.emitStates = emitStates;
    this.summary = summary;
    this.events = events;
    changed = ctx.getMapState(new MapStateDescriptor<>("changed", Types.STRING, Types.BOOLEAN));
    listingShownAt =
        ctx.getMapState(new MapStateDescriptor<>("listing-shown-at", Types.STRING, Types.LONG));
    listingShown =
        ctx.getMapState(new MapStateDescriptor<>("listing-shown-hash", Types.STRING, Types.LONG));
    digest = Sha256.digest();
    emitTimer = ctx.getState(new ValueStateDescriptor<>("emit-timer", Types.LONG));
    this.summaries = summaries;
    this.listingPages = listingPages;
  }

  /**
   * Notes a contact as changed; its snapshot follows one emit interval later, together with every
   * other change in that interval. A change right after a snapshot waits a full interval, so a
   * contact gets at most one snapshot per interval.
   */
  void markChanged(String contact, boolean summaryToo, long now, TimerService timerService)
      throws Exception {
    Boolean before = changed.get(contact);
    changed.put(contact, summaryToo || Boolean.TRUE.equals(before));
    if (emitTimer.value() == null) {
      long at = now + emitIntervalMillis;
      timerService.registerProcessingTimeTimer(at);
      emitTimer.update(at);
    }
  }

  /** Marks the contacts of {@code events} whose last listing showed them (listing only). */
  void markShownAsChanged(ListedEvent[] events, long createdAt, long now, TimerService timerService)
      throws Exception {
    for (ListedEvent e : events) {
      String contact = StateKey.contact(e.workspaceId(), e.contactKey());
      if (changed.contains(contact)) {
        continue;
      }
      Long shownAt = listingShownAt.get(contact);
      if (shownAt != null && ContactResults.isListed(createdAt, shownAt)) {
        markChanged(contact, false, now, timerService);
      }
    }
  }

  /** Writes the snapshots when {@code timestamp} is the emit timer's (or later). */
  void emitIfDue(
      long timestamp, KeyedProcessFunction<Long, ContactRecord, byte[]>.OnTimerContext ctx)
      throws Exception {
    Long emit = emitTimer.value();
    if (emit != null && timestamp >= emit) {
      emitTimer.clear();
      emitSnapshots(timestamp, ctx);
    }
  }

  /** Writes the latest summary and listing of every contact that changed. */
  private void emitSnapshots(
      long now, KeyedProcessFunction<Long, ContactRecord, byte[]>.OnTimerContext ctx)
      throws Exception {
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
      KeyedProcessFunction<Long, ContactRecord, byte[]>.OnTimerContext ctx)
      throws Exception {
    ContactId id = StateKey.contactOf(contact);
    Identifiers ids = summary.shown(contact);

    Map<String, long[]> byName = summary.byName(contact);
    byte[] summaryLine = ContactJson.summary(id, ids, byName, updatedAt);

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
      ctx.output(ContactOutputs.SUMMARIES, summaryLine);
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
    digest.reset(); // a hash that failed half-way leaves nothing behind for the next contact
    for (byte[] line : lines) {
      digest.update(line, 0, line.length - tail);
      digest.update((byte) '\n');
    }
    return Sha256.first8Bytes(digest.digest());
  }
}
