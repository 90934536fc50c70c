package dev.dataevents.contact;

import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.text.Text;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What one contact's kept records (duplicates already removed) add up to: the identifiers its
 * outputs show, its counts per event name, and the events its listing shows. Pure computation,
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
  private final List<ContactRecord> kept;
  private final Identifiers identifiers;

  /**
   * @param contact the contact
   * @param kept its accepted records, events and imported summaries
   */
  public ContactResults(ContactId contact, List<ContactRecord> kept) {
    this.contact = contact;
    this.kept = kept;
    this.identifiers =
        new Identifiers(
            orDirectory(
                latest(kept, ContactRecord::userId),
                kept,
                ContactRecord::directoryUserId,
                ContactRecord::userId),
            orDirectory(
                latest(kept, ContactRecord::id),
                kept,
                ContactRecord::directoryId,
                ContactRecord::id),
            orDirectory(
                latest(kept, ContactRecord::email),
                kept,
                ContactRecord::directoryEmail,
                ContactRecord::email));
  }

  public ContactId contact() {
    return contact;
  }

  /** The identifiers its summary and listing show. */
  public Identifiers identifiers() {
    return identifiers;
  }

  public String userId() {
    return identifiers.userId();
  }

  public String id() {
    return identifiers.id();
  }

  public String email() {
    return identifiers.email();
  }

  /**
   * The latest non-null value of an identifier: over events, latest by {@code created_at} then
   * input position; a contact known only from imported summaries takes it from the latest line.
   */
  private static String latest(List<ContactRecord> records, Function<ContactRecord, String> field) {
    ContactRecord best = null;
    for (ContactRecord r : records) {
      if (r.summaryImport() || field.apply(r) == null) {
        continue;
      }
      if (best == null
          || r.createdAt() > best.createdAt()
          || (r.createdAt() == best.createdAt() && r.position() > best.position())) {
        best = r;
      }
    }
    return best == null ? null : field.apply(best);
  }

  /** For a contact known only from imported summaries: the latest imported line's value. */
  private static String latestImported(
      List<ContactRecord> records, Function<ContactRecord, String> field) {
    ContactRecord best = null;
    for (ContactRecord r : records) {
      if (r.summaryImport()
          && field.apply(r) != null
          && (best == null || r.position() > best.position())) {
        best = r;
      }
    }
    return best == null ? null : field.apply(best);
  }

  /**
   * A value seen on no event falls back to the contacts directory's, as the contract says, and only
   * then to imported summaries.
   */
  private static String orDirectory(
      String seen,
      List<ContactRecord> records,
      Function<ContactRecord, String> directory,
      Function<ContactRecord, String> field) {
    if (seen != null) {
      return seen;
    }
    for (ContactRecord r : records) {
      if (directory.apply(r) != null) {
        return directory.apply(r);
      }
    }
    return latestImported(records, field);
  }

  /**
   * What the {@code event.summary} shows: per event name (in code point order) its {@code [count,
   * first, last]}, imports merged in.
   */
  public SortedMap<String, long[]> summaryCounts() {
    SortedMap<String, long[]> byName = new TreeMap<>(CODE_POINT_ORDER);
    for (ContactRecord r : kept) {
      if (r.summaryImport()) {
        for (int i = 0; i < r.summaryNames().length; i++) {
          merge(
              byName,
              r.summaryNames()[i],
              r.summaryCounts()[i],
              r.summaryFirsts()[i],
              r.summaryLasts()[i]);
        }
      } else {
        merge(byName, r.eventName(), 1, r.createdAt(), r.createdAt());
      }
    }
    return byName;
  }

  /** Adds a count, first and last into a name's {@code [count, first, last]}. */
  static void merge(Map<String, long[]> byName, String name, long count, long first, long last) {
    long[] s = byName.computeIfAbsent(name, n -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
    // Saturate rather than wrap: imported counts may be as large as a long.
    s[0] = s[0] + count < 0 ? Long.MAX_VALUE : s[0] + count;
    s[1] = Math.min(s[1], first);
    s[2] = Math.max(s[2], last);
  }

  /** Whether an event is in the listing window that ends at {@code referenceTime}. */
  public static boolean isListed(long createdAt, long referenceTime) {
    return referenceTime - createdAt < LISTING_WINDOW_SECONDS;
  }

  /**
   * The events its {@code event.list} pages show: those less than 90 days before the reference
   * time, newest first, ties by name.
   */
  public List<ListedEvent> listed(long referenceTime) {
    List<ListedEvent> listed = new ArrayList<>();
    for (ContactRecord r : kept) {
      if (!r.summaryImport() && isListed(r.createdAt(), referenceTime)) {
        listed.add(ListedEvent.of(r));
      }
    }
    listed.sort(NEWEST_FIRST);
    return listed;
  }
}
