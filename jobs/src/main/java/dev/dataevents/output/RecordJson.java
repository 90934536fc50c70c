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
              .field(Keys.WORKSPACE_ID, event.workspaceId())
              .field(Keys.EVENT_NAME, event.eventName())
              .field(Keys.CREATED_AT, event.createdAt())
              .fieldIfPresent(Keys.USER_ID, event.userId())
              .fieldIfPresent(Keys.ID, event.id())
              .fieldIfPresent(Keys.EMAIL, event.email());
          if (event.metadataUtf8() != null) {
            out.name(Keys.METADATA).raw(event.metadataUtf8());
          }
          out.endObject();
        });
  }

  public static byte[] rejection(Rejection rejection) {
    return JsonWriter.render(
        out ->
            out.startObject()
                .field(Keys.TYPE, "rejection")
                .field(Keys.STATUS, rejection.status())
                .field(Keys.REASON, rejection.reason())
                .fieldOrNull(Keys.FIELD, rejection.field())
                .field(Keys.MESSAGE, rejection.message())
                .field(Keys.SOURCE, rejection.source())
                .field(Keys.LINE, rejection.line())
                .fieldOrNull(Keys.RAW, rejection.raw())
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
                .field(Keys.TYPE, "duplicate")
                .field(Keys.SOURCE, source)
                .field(Keys.LINE, line)
                .name(Keys.DUPLICATE_OF)
                .startObject()
                .field(Keys.SOURCE, keptSource)
                .field(Keys.LINE, keptLine)
                .endObject()
                .fieldOrNull(Keys.RAW, raw)
                .endObject());
  }
}
