package dev.dataevents.validation;

import dev.dataevents.json.JsonTreeReader;
import dev.dataevents.json.PlainJsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads an event line in one streaming pass, keeping only what the rules look at: the six fields of
 * the input table and the metadata keys that rules 1-3 keep, each as a small tree. A backfill reads
 * millions of lines, and building each whole line as a tree (every member in a hash map) cost more
 * than everything else it does to a line.
 *
 * <p>The line is read by the same parser, token by token, as {@link JsonTreeReader#read} reads it
 * (every string to its end, every nesting and duplicate key checked), so a line is invalid JSON in
 * the same place with the same message either way. A line whose value is not an object is left to
 * the tree reader ({@link Scan#notAnObject()}): it is rare, and its message describes the value.
 *
 * <p>First, though, the line is read without Jackson ({@link PlainJsonReader}): almost every line
 * is plain JSON, which that reader reads in about two thirds of the time, and it gives up at the
 * first thing it is not sure of (an invalid line among them). Only then is the line read as above,
 * so every line is decided, and every error worded, as before ({@code PlainScanTest}).
 */
final class EventScanner {
  /** The top-level names the plain scan looks for, in the order of its cases. */
  private static final String[] FIELD_NAMES = {
    "workspace_id", "event_name", "created_at", "user_id", "id", "email", "metadata"
  };

  private static final char[][] FIELDS = new char[FIELD_NAMES.length][];

  private static final int[] FIELD_HASHES = new int[FIELD_NAMES.length];

  static {
    for (int i = 0; i < FIELD_NAMES.length; i++) {
      FIELDS[i] = FIELD_NAMES[i].toCharArray();
      FIELD_HASHES[i] = FIELD_NAMES[i].hashCode();
    }
  }

  private EventScanner() {}

  /** What a scan found: the error, or the fields (null when absent or JSON null). */
  static final class Scan {
    private String error;
    private boolean notAnObject;
    JsonNode workspaceId;
    JsonNode eventName;
    JsonNode createdAt;
    JsonNode userId;
    JsonNode id;
    JsonNode email;

    /** The metadata value when it is not an object (for its message), else null. */
    JsonNode metadataNotObject;

    /** The metadata keys kept by rules 1-3, or null when there is no metadata object. */
    MetadataRules.Selection metadata;

    /** Why the line is not valid JSON ({@code invalid JSON: ...}), or null. */
    String error() {
      return error;
    }

    /** Whether the line holds a JSON value other than an object, or no value. */
    boolean notAnObject() {
      return notAnObject;
    }
  }

  /**
   * Scans a line.
   *
   * @param reader the caller's plain reader, reused from line to line
   * @param selection the caller's metadata selection, reused from line to line: the scan's {@link
   *     Scan#metadata} until the next scan
   */
  static Scan scan(
      String line, int maxMetadataKeys, PlainJsonReader reader, MetadataRules.Selection selection) {
    Scan plain = plain(line, maxMetadataKeys, reader, selection);
    return plain != null ? plain : jackson(line, maxMetadataKeys);
  }

  /**
   * The same scan by {@link PlainJsonReader}, or null when it gave up on the line (not plain JSON,
   * or invalid): the line is then scanned with Jackson, which decides it and words its error.
   */
  static Scan plain(
      String line, int maxMetadataKeys, PlainJsonReader reader, MetadataRules.Selection selection) {
    Scan scan = new Scan();
    reader.reset(line);
    try {
      reader.beginObject();
      while (reader.nextMember()) {
        switch (reader.nameIn(FIELDS, FIELD_HASHES)) {
          case 0 -> scan.workspaceId = field(reader);
          case 1 -> scan.eventName = field(reader);
          case 2 -> scan.createdAt = field(reader);
          case 3 -> scan.userId = field(reader);
          case 4 -> scan.id = field(reader);
          case 5 -> scan.email = field(reader);
          case 6 -> metadata(reader, scan, selection.reset(maxMetadataKeys));
          default -> reader.skipValue();
        }
      }
      return reader.atEnd() ? scan : null;
    } catch (PlainJsonReader.GiveUp e) {
      return null;
    }
  }

  private static JsonNode field(PlainJsonReader reader) {
    if (reader.atNull()) {
      reader.skipValue();
      return null;
    }
    return reader.value();
  }

  private static void metadata(
      PlainJsonReader reader, Scan scan, MetadataRules.Selection selection) {
    if (reader.atNull()) {
      reader.skipValue();
      return;
    }
    if (!reader.atObject()) {
      scan.metadataNotObject = reader.value();
      return;
    }
    reader.beginObject();
    while (reader.nextMember()) {
      if (!reader.atNull() && selection.offer(reader.name())) {
        selection.value(reader.value());
      } else {
        reader.skipValue();
      }
    }
    scan.metadata = selection;
  }

  /** The scan with Jackson's streaming parser: any line, and the message of an invalid one. */
  static Scan jackson(String line, int maxMetadataKeys) {
    Scan scan = new Scan();
    try (JsonParser parser = JsonTreeReader.parser(line)) {
      try {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          scan.notAnObject = true;
          return scan;
        }
        members(parser, scan, maxMetadataKeys);
        if (parser.nextToken() != null) {
          scan.error = JsonTreeReader.moreThanOneValue(parser);
        }
      } catch (JsonProcessingException e) {
        scan.error = JsonTreeReader.describe(parser, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a parser over a String reads no file
    }
    return scan;
  }

  private static void members(JsonParser parser, Scan scan, int maxMetadataKeys)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      switch (name) {
        case "workspace_id" -> scan.workspaceId = field(parser, token);
        case "event_name" -> scan.eventName = field(parser, token);
        case "created_at" -> scan.createdAt = field(parser, token);
        case "user_id" -> scan.userId = field(parser, token);
        case "id" -> scan.id = field(parser, token);
        case "email" -> scan.email = field(parser, token);
        case "metadata" -> metadata(parser, token, scan, maxMetadataKeys);
        default -> JsonTreeReader.skipValue(parser);
      }
    }
  }

  /** A top-level field's value; JSON null counts as absent. */
  private static JsonNode field(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    return JsonTreeReader.value(parser);
  }

  private static void metadata(JsonParser parser, JsonToken token, Scan scan, int maxKeys)
      throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return;
    }
    if (token != JsonToken.START_OBJECT) {
      scan.metadataNotObject = JsonTreeReader.value(parser);
      return;
    }
    MetadataRules.Selection selection = new MetadataRules.Selection(maxKeys);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value != JsonToken.VALUE_NULL && selection.offer(key)) {
        selection.value(JsonTreeReader.value(parser));
      } else {
        JsonTreeReader.skipValue(parser);
      }
    }
    scan.metadata = selection;
  }
}
