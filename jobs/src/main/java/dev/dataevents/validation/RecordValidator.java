package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.INVALID_EVENT_SUMMARIES;
import static dev.dataevents.model.RejectionReason.NOT_AN_OBJECT;

import dev.dataevents.json.Json;
import dev.dataevents.json.LargeIntegerNode;
import dev.dataevents.json.PlainJsonReader;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.DirectoryEntry;
import dev.dataevents.model.Identifiers;
import dev.dataevents.model.RejectionReason;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns one non-blank input line into a valid {@link ContactRecord}, or throws for the first rule
 * it breaks, checking rules in the order of the contract's input table.
 */
public final class RecordValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ValidationSettings settings;

  /** Reads event lines; each parallel instance of the parser has its own validator. */
  private transient PlainJsonReader reader;

  /** Selects each event's metadata keys, reused like {@link #reader}. */
  private transient MetadataRules.Selection selection;

  public RecordValidator(ValidationSettings settings) {
    this.settings = settings;
  }

  /** An event line; {@code source} and {@code raw} are kept on the record, or null. */
  public ContactRecord event(String line, long position, String source, String raw)
      throws RecordRejectedException {
    if (reader == null) {
      reader = new PlainJsonReader();
      selection = new MetadataRules.Selection(settings.maxMetadataKeys());
    }
    EventScanner.Scan scan = EventScanner.scan(line, settings.maxMetadataKeys(), reader, selection);
    if (scan.error() != null) {
      throw InputJson.invalid(scan.error());
    }
    if (scan.notAnObject()) {
      return event(parseObject(line), position, source, raw); // rejected, with the tree's message
    }
    String workspaceId = FieldRules.workspaceIdValue(scan.workspaceId, settings.defaultWorkspace());
    String eventName = FieldRules.eventName(scan.eventName, "event_name");
    long createdAt = FieldRules.timestamp(scan.createdAt, "created_at", settings);
    Identifiers ids = FieldRules.identifiers(scan.userId, scan.id, scan.email);
    MetadataRules.KeptMetadata metadata =
        scan.metadata != null
            ? scan.metadata.validate()
            : MetadataRules.keep(scan.metadataNotObject, settings.maxMetadataKeys());
    return event(workspaceId, eventName, createdAt, ids, metadata, position, source, raw);
  }

  /** An event already read (the {@code event} of an {@code --auth} line), an object. */
  public ContactRecord event(JsonNode object, long position, String source, String raw)
      throws RecordRejectedException {
    String workspaceId = FieldRules.workspaceId(object, settings.defaultWorkspace());
    String eventName = FieldRules.eventName(Json.field(object, "event_name"), "event_name");
    long createdAt = FieldRules.timestamp(Json.field(object, "created_at"), "created_at", settings);
    Identifiers ids = FieldRules.identifiers(object);
    MetadataRules.KeptMetadata metadata =
        MetadataRules.keep(Json.field(object, "metadata"), settings.maxMetadataKeys());
    return event(workspaceId, eventName, createdAt, ids, metadata, position, source, raw);
  }

  private static ContactRecord event(
      String workspaceId,
      String eventName,
      long createdAt,
      Identifiers ids,
      MetadataRules.KeptMetadata metadata,
      long position,
      String source,
      String raw) {
    return ContactRecord.event(
        workspaceId,
        ids.contactKey(),
        position,
        source,
        eventName,
        createdAt,
        ids.userId(),
        ids.id(),
        ids.email(),
        metadata.utf8(),
        metadata.keysDropped(),
        metadata.valuesTruncated(),
        raw);
  }

  /**
   * A line of imported summaries ({@code --summaries}); {@code source} and {@code raw} are kept, or
   * null.
   */
  public ContactRecord summaryImport(String line, long position, String source, String raw)
      throws RecordRejectedException {
    return summaryImport(parseObject(line), position, source, raw);
  }

  /** Imported summaries already read, an object. */
  public ContactRecord summaryImport(JsonNode object, long position, String source, String raw)
      throws RecordRejectedException {
    String workspaceId = FieldRules.workspaceId(object, settings.defaultWorkspace());
    Identifiers ids = FieldRules.identifiers(object);
    JsonNode summaries = Json.field(object, "event_summaries");
    List<JsonNode> elements = new ArrayList<>();
    if (summaries != null && summaries.isObject()) {
      elements.add(summaries);
    } else if (summaries != null && summaries.isArray() && !summaries.isEmpty()) {
      summaries.forEach(elements::add);
    } else {
      throw invalidSummaries("event_summaries must be an object or a non-empty array of objects");
    }
    int n = elements.size();
    String[] names = new String[n];
    long[] counts = new long[n];
    long[] firsts = new long[n];
    long[] lasts = new long[n];
    for (int i = 0; i < n; i++) {
      JsonNode element = elements.get(i);
      String where = n == 1 && summaries.isObject() ? "" : " (element " + (i + 1) + ")";
      if (!element.isObject()) {
        throw invalidSummaries("each event summary must be an object" + where);
      }
      try {
        names[i] = FieldRules.eventName(Json.field(element, "event_name"), "event_name");
        counts[i] = count(Json.field(element, "count"));
        firsts[i] = FieldRules.timestamp(Json.field(element, "first"), "first", settings);
        lasts[i] = FieldRules.timestamp(Json.field(element, "last"), "last", settings);
      } catch (RecordRejectedException e) {
        throw invalidSummaries(e.getMessage() + where);
      }
      if (firsts[i] > lasts[i]) {
        throw invalidSummaries("first must not be after last" + where);
      }
    }
    return ContactRecord.summaryImport(
        workspaceId,
        ids.contactKey(),
        position,
        source,
        ids.userId(),
        ids.id(),
        ids.email(),
        names,
        counts,
        firsts,
        lasts,
        raw);
  }

  /**
   * A contacts-directory line. Any problem is {@code invalid_contact} (field null), its message
   * saying which rule the line broke.
   */
  public DirectoryEntry directoryEntry(String line, long position, String source, String raw)
      throws RecordRejectedException {
    try {
      JsonNode object = parseObject(line);
      String workspaceId = FieldRules.workspaceId(object, settings.defaultWorkspace());
      JsonNode id = Json.field(object, "id");
      if (id == null || !id.isTextual()) {
        throw new RecordRejectedException(
            RejectionReason.INVALID_CONTACT, null, "a directory entry needs an id (a string)");
      }
      Identifiers ids = FieldRules.identifiers(object);
      JsonNode role = Json.field(object, "role");
      if (role != null && !(role.isTextual() && ROLES.contains(role.textValue()))) {
        throw new RecordRejectedException(
            RejectionReason.INVALID_CONTACT, null, "role must be \"user\" or \"lead\"");
      }
      boolean lead = role != null && role.textValue().equals("lead");
      return new DirectoryEntry(
          workspaceId, ids.id(), ids.userId(), ids.email(), lead, position, source, raw, null);
    } catch (RecordRejectedException e) {
      if (e.reason() == RejectionReason.INVALID_CONTACT) {
        throw e;
      }
      throw new RecordRejectedException(
          RejectionReason.INVALID_CONTACT, null, "invalid directory entry: " + e.getMessage());
    }
  }

  /** The sign of an integer beyond 64 bits, from its text: parsing a hostile one costs. */
  private static boolean positive(JsonNode integer) {
    return integer instanceof LargeIntegerNode
        ? !integer.asText().startsWith("-")
        : integer.bigIntegerValue().signum() > 0;
  }

  private static final java.util.Set<String> ROLES = java.util.Set.of("user", "lead");

  private static long count(JsonNode value) throws RecordRejectedException {
    if (value != null && value.isIntegralNumber() && !Json.isLong(value) && positive(value)) {
      return Long.MAX_VALUE; // an integer >= 1 all the same: kept as merged counts saturate
    }
    if (value == null || !Json.isLong(value) || value.longValue() <= 0) {
      throw invalidSummaries("count must be an integer >= 1");
    }
    return value.longValue();
  }

  static JsonNode parseObject(String line) throws RecordRejectedException {
    JsonNode node = InputJson.parse(line);
    if (!node.isObject()) {
      throw new RecordRejectedException(
          NOT_AN_OBJECT, null, "a record must be a JSON object, not " + FieldRules.describe(node));
    }
    return node;
  }

  private static RecordRejectedException invalidSummaries(String message) {
    return new RecordRejectedException(INVALID_EVENT_SUMMARIES, "event_summaries", message);
  }
}
