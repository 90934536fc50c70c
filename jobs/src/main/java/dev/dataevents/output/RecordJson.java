package dev.dataevents.output;

import static dev.dataevents.json.JsonWriter.stringIfPresent;
import static dev.dataevents.json.JsonWriter.stringOrNull;

import dev.dataevents.json.JsonWriter;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.Rejection;

/** The JSON lines of accepted events, rejections and duplicates. */
public final class RecordJson {
  private RecordJson() {}

  /**
   * An accepted event in the canonical input format: {@code workspace_id, event_name, created_at,
   * user_id?, id?, email?, metadata?}, metadata as kept.
   */
  public static String acceptedEvent(ContactRecord event) {
    return JsonWriter.render(
        out -> {
          out.writeStartObject();
          out.writeStringField("workspace_id", event.workspaceId());
          out.writeStringField("event_name", event.eventName());
          out.writeNumberField("created_at", event.createdAt());
          stringIfPresent(out, "user_id", event.userId());
          stringIfPresent(out, "id", event.id());
          stringIfPresent(out, "email", event.email());
          if (event.metadataJson() != null) {
            out.writeFieldName("metadata");
            out.writeRawValue(event.metadataJson());
          }
          out.writeEndObject();
        });
  }

  public static String rejection(Rejection rejection) {
    return JsonWriter.render(
        out -> {
          out.writeStartObject();
          out.writeStringField("type", "rejection");
          out.writeNumberField("status", rejection.status());
          out.writeStringField("reason", rejection.reason());
          stringOrNull(out, "field", rejection.field());
          out.writeStringField("message", rejection.message());
          out.writeStringField("source", rejection.source());
          out.writeNumberField("line", rejection.line());
          out.writeStringField("raw", rejection.raw());
          out.writeEndObject();
        });
  }

  /**
   * A duplicate (written only with {@code --duplicates}): where it was read, where the copy that
   * was kept was read, and the line itself.
   */
  public static String duplicate(
      String source, long line, String keptSource, long keptLine, String raw) {
    return JsonWriter.render(
        out -> {
          out.writeStartObject();
          out.writeStringField("type", "duplicate");
          out.writeStringField("source", source);
          out.writeNumberField("line", line);
          out.writeObjectFieldStart("duplicate_of");
          out.writeStringField("source", keptSource);
          out.writeNumberField("line", keptLine);
          out.writeEndObject();
          stringOrNull(out, "raw", raw);
          out.writeEndObject();
        });
  }
}
