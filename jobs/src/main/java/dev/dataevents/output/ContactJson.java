package dev.dataevents.output;

import static dev.dataevents.json.JsonWriter.stringIfPresent;
import static dev.dataevents.json.JsonWriter.stringOrNull;

import dev.dataevents.json.JsonWriter;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.ListedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;

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
  public static String summary(
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

  /**
   * The {@code event.list} pages of events already in listing order, {@code perPage} to a page. A
   * stream whose contact's last listed event aged out writes one empty page (so the latest snapshot
   * says so); a bounded run writes none.
   *
   * @param updatedAt a stream snapshot's time (ISO-8601), or null for a bounded run
   */
  public static List<String> listingPages(
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
