package dev.dataevents.contact;

import static dev.dataevents.json.JsonWriter.stringIfPresent;
import static dev.dataevents.json.JsonWriter.stringOrNull;

import dev.dataevents.json.JsonWriter;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.text.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;

/**
 * What one contact's kept records (duplicates already removed) add up to: its {@code event.summary}
 * and its {@code event.list} pages. Pure computation, independent of Flink; the renderers are
 * shared by bounded runs (at end of input) and streams (snapshots with {@code updated_at}).
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

  /**
   * The identifiers a contact's summary and listing show.
   *
   * @param userId {@code user_id}, or null
   * @param id {@code intercom_user_id}, or null
   * @param email {@code email}, or null
   */
  public record Identifiers(String userId, String id, String email) {}

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

  /** The {@code event.summary}: per event name count, first and last, imports merged in. */
  public String summary() {
    Map<String, long[]> byName = new TreeMap<>(CODE_POINT_ORDER);
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
    return summaryJson(contact, identifiers, byName, null);
  }

  /** Adds a count, first and last into a name's {@code [count, first, last]}. */
  static void merge(Map<String, long[]> byName, String name, long count, long first, long last) {
    long[] s = byName.computeIfAbsent(name, n -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
    // Saturate rather than wrap: imported counts may be as large as a long.
    s[0] = s[0] + count < 0 ? Long.MAX_VALUE : s[0] + count;
    s[1] = Math.min(s[1], first);
    s[2] = Math.max(s[2], last);
  }

  /**
   * Renders an {@code event.summary}.
   *
   * @param byName name -> {@code [count, first, last]}, iterated in name order
   * @param updatedAt a stream snapshot's time (ISO-8601), or null for a bounded run
   */
  public static String summaryJson(
      ContactId contact, Identifiers ids, Map<String, long[]> byName, String updatedAt) {
    return JsonWriter.render(
        out -> {
          out.writeStartObject();
          out.writeStringField("type", "event.summary");
          writeContact(out, contact, ids);
          out.writeArrayFieldStart("events");
          for (Map.Entry<String, long[]> e : byName.entrySet()) {
            out.writeStartObject();
            out.writeStringField("name", e.getKey());
            out.writeStringField("first", JsonWriter.isoSeconds(e.getValue()[1]));
            out.writeStringField("last", JsonWriter.isoSeconds(e.getValue()[2]));
            out.writeNumberField("count", e.getValue()[0]);
            out.writeNullField("description");
            out.writeEndObject();
          }
          out.writeEndArray();
          if (updatedAt != null) {
            out.writeStringField("updated_at", updatedAt);
          }
          out.writeEndObject();
        });
  }

  /** Whether an event is in the listing window that ends at {@code referenceTime}. */
  public static boolean isListed(long createdAt, long referenceTime) {
    return referenceTime - createdAt < LISTING_WINDOW_SECONDS;
  }

  /**
   * The {@code event.list} pages: events less than 90 days before the reference time, newest first,
   * ties by name, {@code perPage} to a page. Empty when no event is in the window.
   */
  public List<String> listingPages(long referenceTime, int perPage) {
    List<ListedEvent> listed = new ArrayList<>();
    for (ContactRecord r : kept) {
      if (!r.summaryImport() && isListed(r.createdAt(), referenceTime)) {
        listed.add(ListedEvent.of(r));
      }
    }
    listed.sort(NEWEST_FIRST);
    return listingJson(contact, identifiers, listed, perPage, null);
  }

  /**
   * Renders {@code event.list} pages of events already in listing order. A stream whose contact's
   * last listed event aged out writes one empty page (so the latest snapshot says so); a bounded
   * run writes none.
   */
  public static List<String> listingJson(
      ContactId contact, Identifiers ids, List<ListedEvent> listed, int perPage, String updatedAt) {
    int totalPages = (listed.size() + perPage - 1) / perPage;
    List<String> pages = new ArrayList<>(Math.max(1, totalPages));
    if (totalPages == 0 && updatedAt != null) {
      pages.add(page(contact, ids, List.of(), 1, perPage, 0, updatedAt));
    }
    for (int page = 1; page <= totalPages; page++) {
      List<ListedEvent> events =
          listed.subList((page - 1) * perPage, Math.min(listed.size(), page * perPage));
      pages.add(page(contact, ids, events, page, perPage, totalPages, updatedAt));
    }
    return pages;
  }

  private static String page(
      ContactId contact,
      Identifiers ids,
      List<ListedEvent> events,
      int number,
      int perPage,
      int totalPages,
      String updatedAt) {
    return JsonWriter.render(
        out -> {
          out.writeStartObject();
          out.writeStringField("type", "event.list");
          writeContact(out, contact, ids);
          out.writeArrayFieldStart("events");
          for (ListedEvent event : events) {
            writeListedEvent(out, event);
          }
          out.writeEndArray();
          out.writeObjectFieldStart("pages");
          out.writeStringField("type", "pages");
          out.writeNumberField("page", number);
          out.writeNumberField("per_page", perPage);
          out.writeNumberField("total_pages", totalPages);
          if (number < totalPages) {
            out.writeNumberField("next", number + 1);
          } else {
            out.writeNullField("next");
          }
          out.writeEndObject();
          if (updatedAt != null) {
            out.writeStringField("updated_at", updatedAt);
          }
          out.writeEndObject();
        });
  }

  private static void writeContact(JsonGenerator out, ContactId contact, Identifiers ids)
      throws IOException {
    out.writeStringField("workspace_id", contact.workspaceId());
    stringOrNull(out, "user_id", ids.userId());
    stringOrNull(out, "intercom_user_id", ids.id());
    stringOrNull(out, "email", ids.email());
  }

  private static void writeListedEvent(JsonGenerator out, ListedEvent event) throws IOException {
    out.writeStartObject();
    out.writeStringField("type", "event");
    out.writeStringField("event_name", event.eventName());
    out.writeNumberField("created_at", event.createdAt());
    stringIfPresent(out, "user_id", event.userId());
    stringIfPresent(out, "id", event.id());
    stringIfPresent(out, "email", event.email());
    out.writeFieldName("metadata");
    if (event.metadataJson() == null) {
      out.writeStartObject();
      out.writeEndObject();
    } else {
      out.writeRawValue(event.metadataJson());
    }
    out.writeEndObject();
  }
}
