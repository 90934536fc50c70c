package dev.dataevents.output;

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
  public static byte[] acceptedEvent(ContactRecord event) {
    return JsonWriter.render(
        out -> {
          out.startObject()
              .field("workspace_id", event.workspaceId())
              .field("event_name", event.eventName())
              .field("created_at", event.createdAt())
              .fieldIfPresent("user_id", event.userId())
              .fieldIfPresent("id", event.id())
              .fieldIfPresent("email", event.email());
          if (event.metadataUtf8() != null) {
            out.name("metadata").raw(event.metadataUtf8());
          }
          out.endObject();
        });
  }

  public static byte[] rejection(Rejection rejection) {
    return JsonWriter.render(
        out ->
            out.startObject()
                .field("type", "rejection")
                .field("status", rejection.status())
                .field("reason", rejection.reason())
                .fieldOrNull("field", rejection.field())
                .field("message", rejection.message())
                .field("source", rejection.source())
                .field("line", rejection.line())
                .fieldOrNull("raw", rejection.raw())
                .endObject());
  }

  /**
   * A duplicate (written only with {@code --duplicates}): where it was read, where the copy that
   * was kept was read, and the line itself.
   */
  public static byte[] duplicate(
      String source, long line, String keptSource, long keptLine, String raw) {
    return JsonWriter.render(
        out ->
            out.startObject()
                .field("type", "duplicate")
                .field("source", source)
                .field("line", line)
                .name("duplicate_of")
                .startObject()
                .field("source", keptSource)
                .field("line", keptLine)
                .endObject()
                .fieldOrNull("raw", raw)
                .endObject());
  }
}
