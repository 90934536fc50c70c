package dev.dataevents.json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;

/**
 * Renders one JSON value as a compact line, its keys in the order they are written (the order the
 * contract lists them), and times in the contract's ISO-8601 form.
 */
public final class JsonWriter {
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Writes fields into an open generator. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator out) throws IOException;
  }

  private JsonWriter() {}

  /** One JSON value, rendered compactly. */
  public static String render(Body body) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator out = Json.mapper().getFactory().createGenerator(text)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** Unix seconds as ISO-8601 UTC with milliseconds, e.g. {@code 2014-01-16T23:12:21.000Z}. */
  public static String isoSeconds(long unixSeconds) {
    return ISO_MILLIS.format(Instant.ofEpochSecond(unixSeconds));
  }

  public static String isoMillis(long epochMillis) {
    return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Writes a string field, or JSON null. */
  public static void stringOrNull(JsonGenerator out, String name, String value) throws IOException {
    if (value == null) {
      out.writeNullField(name);
    } else {
      out.writeStringField(name, value);
    }
  }

  /** Writes a string field only when it has a value. */
  public static void stringIfPresent(JsonGenerator out, String name, String value)
      throws IOException {
    if (value != null) {
      out.writeStringField(name, value);
    }
  }
}
