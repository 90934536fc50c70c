package dev.dataevents.contact;

import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.NameCounts;
import dev.dataevents.text.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one contact's accepted records (duplicates already removed) add up to: the identifiers its
 * outputs show, its counts per event name, and the events its listing shows. Built record by record
 * in input order, keeping only what the results need (counts per name, the events of the listing
 * window), so a contact of a million events costs its listing, not its history. Pure computation,
 * independent of Flink and of the output format ({@link dev.dataevents.output.ContactJson} renders
 * it).
 */
public final class ContactResults {
  /** The listing window: events less than 90 days older than the reference time. */
  public static final long LISTING_WINDOW_SECONDS = 90L * 86_400;

  /** Names in Unicode code point order, as other languages sort strings. */
  static final Comparator<String> CODE_POINT_ORDER = Text::compareCodePoints;

  /** The listing order: newest first, ties by event name. */
  static final Comparator<ListedEvent> NEWEST_FIRST =
      Comparator.comparingLong(ListedEvent::createdAt)
          .reversed()
          .thenComparing(ListedEvent::eventName, CODE_POINT_ORDER);

  private final ContactId contact;
  private final long referenceTime;
  private final Map<String, long[]> byName = new HashMap<>();
  private final List<ListedEvent> listed = new ArrayList<>();
  private final Latest userId = new Latest();
  private final Latest id = new Latest();
  private final Latest email = new Latest();

  /**
   * @param contact the contact
   * @param referenceTime Unix seconds that the 90-day listing window ends at
   */
  public ContactResults(ContactId contact, long referenceTime) {
    this.contact = contact;
    this.referenceTime = referenceTime;
  }

  /** The results of a contact's accepted records, in any order. */
  public static ContactResults of(ContactId contact, List<ContactRecord> kept, long referenceTime) {
    List<ContactRecord> inOrder = new ArrayList<>(kept);
    inOrder.sort(Comparator.comparingLong(ContactRecord::position));
    ContactResults results = new ContactResults(contact, referenceTime);
    inOrder.forEach(results::add);
    return results;
  }

  /**
   * Adds an accepted record. Records come in input order (by input position): "latest" and "first"
   * below rely on it, and the caller ensures it ({@link ContactFunction} checks every record,
   * {@link #of} sorts). Either the record is added whole or, when it cannot be (a record no
   * validator would let through), this throws and nothing changed.
   */
  public void add(ContactRecord r) {
    if (r.summaryImport()) {
      int n = r.summaryNames().length;
      if (r.summaryCounts().length != n
          || r.summaryFirsts().length != n
          || r.summaryLasts().length != n) {
        throw new IllegalArgumentException("imported summary arrays of different lengths");
      }
      for (int i = 0; i < n; i++) {
        Objects.requireNonNull(r.summaryNames()[i], "event name");
      }
      for (int i = 0; i < n; i++) {
        merge(
            byName,
            r.summaryNames()[i],
            r.summaryCounts()[i],
            r.summaryFirsts()[i],
            r.summaryLasts()[i]);
      }
    } else {
      Objects.requireNonNull(r.eventName(), "event name");
      merge(byName, r.eventName(), 1, r.createdAt(), r.createdAt());
      if (isListed(r.createdAt(), referenceTime)) {
        // The contact's own strings, not the record's copies: a listing holds many events.
        ListedEvent event =
            new ListedEvent(
                contact.workspaceId(),
                contact.contactKey(),
                r.eventName(),
                r.createdAt(),
                r.userId(),
                r.id(),
                r.email(),
                r.metadataJson());
        listed.add(event);
      }
    }
    userId.add(r, r.userId(), r.directoryUserId());
    id.add(r, r.id(), r.directoryId());
    email.add(r, r.email(), r.directoryEmail());
  }

  public ContactId contact() {
    return contact;
  }

  /** The identifiers its summary and listing show. */
  public Identifiers identifiers() {
    return new Identifiers(userId.value(), id.value(), email.value());
  }

  /**
   * What the {@code event.summary} shows: per event name (in code point order) its {@code [count,
   * first, last]}, imports merged in.
   */
  public SortedMap<String, long[]> summaryCounts() {
    SortedMap<String, long[]> sorted = new TreeMap<>(CODE_POINT_ORDER);
    sorted.putAll(byName);
    return sorted;
  }

  /** Adds a count, first and last into a name's {@code [count, first, last]}. */
  static void merge(Map<String, long[]> byName, String name, long count, long first, long last) {
    NameCounts.add(byName.computeIfAbsent(name, n -> NameCounts.empty()), count, first, last);
  }

  /** Whether an event is in the listing window that ends at {@code referenceTime}. */
  public static boolean isListed(long createdAt, long referenceTime) {
    return referenceTime - createdAt < LISTING_WINDOW_SECONDS;
  }

  /**
   * The events its {@code event.list} pages show: those less than 90 days before the reference
   * time, newest first, ties by name.
   */
  public List<ListedEvent> listed() {
    listed.sort(NEWEST_FIRST); // once per contact; nearly free when already sorted
    return listed;
  }

  /**
   * One identifier the outputs show: the latest non-null value seen on the contact's events (latest
   * by {@code created_at}, then input position), else the contacts directory's entry's, else, for a
   * contact known only from imported summaries and not from the directory, the latest non-null
   * value of its imported lines (by input position).
   */
  private static final class Latest {
    private String fromEvents;
    private long createdAt;
    private boolean anyEvent;
    private boolean inDirectory;
    private String fromDirectory;
    private String fromImports;

    void add(ContactRecord r, String value, String directoryValue) {
      anyEvent |= !r.summaryImport();
      inDirectory |= r.directoryId() != null;
      if (value != null) {
        if (r.summaryImport()) {
          fromImports = value; // a later line is a later position
        } else if (fromEvents == null || r.createdAt() >= createdAt) {
          fromEvents = value; // ties by created_at go to the later position
          createdAt = r.createdAt();
        }
      }
      if (fromDirectory == null) {
        fromDirectory = directoryValue; // the first record's that has one
      }
    }

    String value() {
      if (fromEvents != null) {
        return fromEvents;
      }
      if (fromDirectory != null) {
        return fromDirectory;
      }
      // An import stands in only for a contact that has no accepted event and no directory entry:
      // for any other, the contract's chain (its events, then the directory) ends in null.
      return anyEvent || inDirectory ? null : fromImports;
    }
  }
}
