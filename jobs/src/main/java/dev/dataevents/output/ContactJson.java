package dev.dataevents.output;

import dev.dataevents.json.JsonBuilder;
import dev.dataevents.json.JsonWriter;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.model.NameCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON lines of a contact: its {@code event.summary} and its {@code event.list} pages, for
 * bounded runs (at end of input) and streams (snapshots with {@code updated_at}) alike.
 */
public final class ContactJson {
  private ContactJson() {}

  /**
   * An {@code event.summary}.
   *
   * @param byName name -> {@code [count, first, last]}, iterated in name order
   * @param updatedAt a stream snapshot's time (ISO-8601), or null for a bounded run
   */
  public static byte[] summary(
      ContactId contact, Identifiers ids, Map<String, long[]> byName, String updatedAt) {
    return JsonWriter.render(
        out -> {
          out.startObject().field(Keys.TYPE, "event.summary");
          writeContact(out, contact, ids);
          out.name(Keys.EVENTS).startArray();
          for (Map.Entry<String, long[]> e : byName.entrySet()) {
            out.startObject()
                .field(Keys.NAME, e.getKey())
                .field(Keys.FIRST, JsonWriter.isoSeconds(e.getValue()[NameCounts.FIRST]))
                .field(Keys.LAST, JsonWriter.isoSeconds(e.getValue()[NameCounts.LAST]))
                .field(Keys.COUNT, e.getValue()[NameCounts.COUNT])
                .name(Keys.DESCRIPTION)
                .nullValue()
                .endObject();
          }
          out.endArray();
          out.fieldIfPresent(Keys.UPDATED_AT, updatedAt);
          out.endObject();
        });
  }

  /**
   * The {@code event.list} pages of events already in listing order, {@code perPage} to a page. A
   * stream whose contact's last listed event aged out writes one empty page (so the latest snapshot
   * says so); a bounded run writes none.
   *
   * @param updatedAt a stream snapshot's time (ISO-8601), or null for a bounded run
   */
  public static List<byte[]> listingPages(
      ContactId contact, Identifiers ids, List<ListedEvent> listed, int perPage, String updatedAt) {
    int totalPages = (listed.size() + perPage - 1) / perPage;
    List<byte[]> pages = new ArrayList<>(Math.max(1, totalPages));
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

  private static byte[] page(
      ContactId contact,
      Identifiers ids,
      List<ListedEvent> events,
      int number,
      int perPage,
      int totalPages,
      String updatedAt) {
    return JsonWriter.render(
        out -> {
          out.startObject().field(Keys.TYPE, "event.list");
          writeContact(out, contact, ids);
          out.name(Keys.EVENTS).startArray();
          for (ListedEvent event : events) {
            writeListedEvent(out, event);
          }
          out.endArray();
          out.name(Keys.PAGES)
              .startObject()
              .field(Keys.TYPE, "pages")
              .field(Keys.PAGE, number)
              .field(Keys.PER_PAGE, perPage)
              .field(Keys.TOTAL_PAGES, totalPages)
              .name(Keys.NEXT);
          if (number < totalPages) {
            out.number(number + 1);
          } else {
            out.nullValue();
          }
          out.endObject();
          out.fieldIfPresent(Keys.UPDATED_AT, updatedAt);
          out.endObject();
        });
  }

  private static void writeContact(JsonBuilder out, ContactId contact, Identifiers ids) {
    out.field(Keys.WORKSPACE_ID, contact.workspaceId())
        .fieldOrNull(Keys.USER_ID, ids.userId())
        .fieldOrNull(Keys.INTERCOM_USER_ID, ids.id())
        .fieldOrNull(Keys.EMAIL, ids.email());
  }

  private static void writeListedEvent(JsonBuilder out, ListedEvent event) {
    out.startObject()
        .field(Keys.TYPE, "event")
        .field(Keys.EVENT_NAME, event.eventName())
        .field(Keys.CREATED_AT, event.createdAt())
        .fieldIfPresent(Keys.USER_ID, event.userId())
        .fieldIfPresent(Keys.ID, event.id())
        .fieldIfPresent(Keys.EMAIL, event.email())
        .name(Keys.METADATA);
    if (event.metadataJson() == null) {
      out.startObject().endObject();
    } else {
      out.raw(event.metadataJson());
    }
    out.endObject();
  }
}
