package dev.dataevents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.dataevents.model.RejectionReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON Schema files in {@code schemas/}: well-formed, and in agreement with the code and data.
 */
class SchemasTest {
  private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
  private static final String ID_PREFIX = "https://dataevents.dev/schemas/";

  private static final List<String> INPUT_SCHEMAS =
      List.of(
          "event.schema.json",
          "summary-import.schema.json",
          "contact.schema.json",
          "auth-line.schema.json",
          "tokens.schema.json");
  private static final List<String> OUTPUT_SCHEMAS =
      List.of(
          "accepted-event.schema.json",
          "event-summary.schema.json",
          "event-list.schema.json",
          "rejection.schema.json",
          "duplicate.schema.json",
          "report.schema.json");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<String> schemaFiles() throws IOException {
    try (Stream<Path> files = Files.list(Schemas.directory())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  @Test
  void theSchemasFolderHoldsOneSchemaPerRecord() throws IOException {
    List<String> expected = new ArrayList<>(INPUT_SCHEMAS);
    expected.addAll(OUTPUT_SCHEMAS);
    assertThat(schemaFiles()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everySchemaIsAValidDraft202012SchemaWithIdTitleAndDescription() throws IOException {
    JsonSchema metaSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(SchemaLocation.of(DRAFT_2020_12));
    for (String name : schemaFiles()) {
      JsonNode document = Schemas.document(name);
      assertThat(document.path("$schema").asText()).as(name).isEqualTo(DRAFT_2020_12);
      assertThat(document.path("$id").asText()).as(name).isEqualTo(ID_PREFIX + name);
      assertThat(document.path("title").asText()).as(name).isNotBlank();
      assertThat(document.path("description").asText()).as(name).isNotBlank();
      assertThat(metaSchema.validate(document)).as(name + " against the meta-schema").isEmpty();
      assertThat(Schemas.schema(name)).as(name).isNotNull();
    }
  }

  @Test
  void everyPropertyDescribesItsRule() throws IOException {
    List<String> undescribed = new ArrayList<>();
    for (String name : schemaFiles()) {
      collectUndescribed(Schemas.document(name), name + "#", undescribed);
    }
    assertThat(undescribed).as("subschemas without a description").isEmpty();
  }

  /**
   * Property, pattern-property, additional-property, property-name, items and $defs subschemas (not
   * the fragments inside anyOf, oneOf, allOf and if/then, which only add constraints).
   */
  private static void collectUndescribed(JsonNode schema, String path, List<String> out) {
    if (!schema.isObject()) {
      return;
    }
    for (String keyword : List.of("properties", "patternProperties", "$defs")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path(keyword).fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        describedOrRecord(e.getValue(), path + "/" + keyword + "/" + e.getKey(), out);
      }
    }
    for (String keyword : List.of("additionalProperties", "propertyNames", "items")) {
      if (schema.path(keyword).isObject()) {
        describedOrRecord(schema.get(keyword), path + "/" + keyword, out);
      }
    }
  }

  private static void describedOrRecord(JsonNode sub, String path, List<String> out) {
    if (!sub.path("description").isTextual() || sub.get("description").asText().isBlank()) {
      out.add(path);
    }
    collectUndescribed(sub, path, out);
  }

  @Test
  void everyOutputSchemaHasAnExampleThatValidates() {
    for (String name : OUTPUT_SCHEMAS) {
      JsonNode examples = Schemas.document(name).path("examples");
      assertThat(examples.isArray() && !examples.isEmpty()).as(name + " has examples").isTrue();
      for (JsonNode example : examples) {
        assertThat(Schemas.errors(name, example)).as(name + " example " + example).isEmpty();
      }
    }
  }

  @Test
  void inputSchemaExamplesValidate() {
    for (String name : INPUT_SCHEMAS) {
      for (JsonNode example : Schemas.document(name).path("examples")) {
        assertThat(Schemas.errors(name, example)).as(name + " example " + example).isEmpty();
      }
    }
  }

  @Test
  void anAcceptedEventIsAlsoAValidInputEvent() {
    for (JsonNode example : Schemas.document("accepted-event.schema.json").path("examples")) {
      assertThat(Schemas.errors("event.schema.json", example)).as(example.toString()).isEmpty();
    }
  }

  private static Set<String> reasonCodes() {
    return Arrays.stream(RejectionReason.values())
        .map(RejectionReason::code)
        .collect(Collectors.toSet());
  }

  private static Set<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .collect(Collectors.toSet());
  }

  @Test
  void rejectionReasonsAreExactlyThoseOfTheCode() {
    JsonNode reason = Schemas.document("rejection.schema.json").path("properties").path("reason");
    assertThat(reason.path("enum")).hasSize(RejectionReason.values().length);
    assertThat(texts(reason.path("enum"))).isEqualTo(reasonCodes());
  }

  @Test
  void reportReasonsAreExactlyThoseOfTheCode() {
    JsonNode names =
        Schemas.document("report.schema.json")
            .path("properties")
            .path("rejected_by_reason")
            .path("propertyNames");
    assertThat(texts(names.path("enum"))).isEqualTo(reasonCodes());
  }

  /** The field each reason names, as the code writes it; null for reasons about no field. */
  private static String fieldOf(RejectionReason reason) {
    return switch (reason) {
      case UNREADABLE_FILE,
          LINE_TOO_LONG,
          INVALID_JSON,
          NOT_AN_OBJECT,
          MISSING_IDENTIFIER,
          INVALID_CONTACT,
          CONTACT_NOT_FOUND,
          LEAD_REQUIRES_ID,
          INTERNAL_ERROR ->
          null;
      case INVALID_WORKSPACE_ID -> "workspace_id";
      case MISSING_EVENT_NAME, INVALID_EVENT_NAME -> "event_name";
      case MISSING_CREATED_AT,
          INVALID_CREATED_AT,
          CREATED_AT_IN_MILLISECONDS,
          CREATED_AT_IN_FUTURE,
          OUTSIDE_DEDUP_HORIZON ->
          "created_at";
      case INVALID_IDENTIFIER -> "email";
      case INVALID_METADATA -> "metadata";
      case INVALID_METADATA_KEY, INVALID_METADATA_VALUE -> "metadata.k";
      case INVALID_EVENT_SUMMARIES -> "event_summaries";
      case UNAUTHORIZED, FORBIDDEN -> "access_token";
    };
  }

  private static ObjectNode rejection(RejectionReason reason, String field) {
    ObjectNode rejection = MAPPER.createObjectNode();
    rejection.put("type", "rejection");
    rejection.put("status", reason.status());
    rejection.put("reason", reason.code());
    rejection.put("field", field);
    rejection.put("message", "why");
    rejection.put("source", "in.jsonl");
    rejection.put("line", 1);
    rejection.put("raw", "{}");
    return rejection;
  }

  @ParameterizedTest
  @EnumSource(RejectionReason.class)
  void aRejectionCarriesTheStatusOfItsReason(RejectionReason reason) {
    ObjectNode rejection = rejection(reason, fieldOf(reason));
    assertThat(Schemas.errors("rejection.schema.json", rejection)).isEmpty();

    rejection.put("status", reason.status() == 400 ? 500 : 400);
    assertThat(Schemas.errors("rejection.schema.json", rejection)).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(RejectionReason.class)
  void aRejectionNamesTheFieldOfItsReason(RejectionReason reason) {
    String field = fieldOf(reason);
    for (String other : List.of("some_field", "metadata", "created_at", "event_name")) {
      if (!other.equals(field)) {
        assertThat(Schemas.errors("rejection.schema.json", rejection(reason, other)))
            .as(reason + " with field " + other)
            .isNotEmpty();
      }
    }
    if (field != null) {
      assertThat(Schemas.errors("rejection.schema.json", rejection(reason, null)))
          .as(reason + " with field null")
          .isNotEmpty();
    }
  }

  @Test
  void theFieldsAReasonAllowsAreThoseTheCodeWrites() {
    for (String field : List.of("user_id", "id", "email")) {
      Schemas.assertValid(
          "rejection.schema.json", rejection(RejectionReason.INVALID_IDENTIFIER, field).toString());
    }
    for (String field : List.of("access_token", "workspace_id", "event")) {
      Schemas.assertValid(
          "rejection.schema.json", rejection(RejectionReason.FORBIDDEN, field).toString());
    }
    Schemas.assertValid(
        "rejection.schema.json",
        rejection(RejectionReason.INVALID_METADATA_KEY, "metadata.").toString());
    Schemas.assertInvalid(
        "rejection.schema.json",
        rejection(RejectionReason.INVALID_METADATA_VALUE, "metadata").toString());
    Schemas.assertInvalid(
        "rejection.schema.json", rejection(RejectionReason.UNAUTHORIZED, "event").toString());
  }

  /** Rejections as a run wrote them, a stream under --auth included. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"rejection\",\"status\":401,\"reason\":\"unauthorized\",\"field\":\"access_token\",\"message\":\"access_token must be a string, not a number\",\"source\":\"watch/auth.jsonl\",\"line\":3,\"raw\":\"{\\\"access_token\\\": \\\"[redacted]\\\", \\\"event\\\": \\\"[redacted]\\\"}\"}",
        "{\"type\":\"rejection\",\"status\":403,\"reason\":\"forbidden\",\"field\":\"event\",\"message\":\"the event must not carry an access token\",\"source\":\"watch/auth.jsonl\",\"line\":7,\"raw\":\"{}\"}",
        "{\"type\":\"rejection\",\"status\":422,\"reason\":\"outside_dedup_horizon\",\"field\":\"created_at\",\"message\":\"created_at 1000 is older than the stream's dedup horizon of 7776000 s; load it with a backfill\",\"source\":\"watch/auth.jsonl\",\"line\":8,\"raw\":\"{}\"}",
        "{\"type\":\"rejection\",\"status\":400,\"reason\":\"invalid_metadata_key\",\"field\":\"metadata.\",\"message\":\"metadata keys must be 1-255 characters, not 0\",\"source\":\"ev.jsonl\",\"line\":20,\"raw\":\"{}\"}",
        "{\"type\":\"rejection\",\"status\":400,\"reason\":\"invalid_contact\",\"field\":null,\"message\":\"role must be \\\"user\\\" or \\\"lead\\\"\",\"source\":\"contacts.jsonl\",\"line\":8,\"raw\":\"{}\"}"
      })
  void rejectionsAsWrittenValidate(String line) {
    Schemas.assertValid("rejection.schema.json", line);
  }

  @Test
  void outputSchemasRefuseUnknownKeys() {
    Schemas.assertValid(
        "accepted-event.schema.json",
        "{\"workspace_id\":\"w\",\"event_name\":\"e\",\"created_at\":1,\"id\":\"x\"}");
    Schemas.assertInvalid(
        "accepted-event.schema.json",
        "{\"workspace_id\":\"w\",\"event_name\":\"e\",\"created_at\":1,\"id\":\"x\",\"extra\":1}");
    Schemas.assertInvalid(
        "accepted-event.schema.json",
        "{\"workspace_id\":\"w\",\"event_name\":\"e\",\"created_at\":1,\"id\":\"x\",\"metadata\":{\"s\":\""
            + "x".repeat(256)
            + "\"}}");
    Schemas.assertValid(
        "accepted-event.schema.json",
        "{\"workspace_id\":\"w\",\"event_name\":\"e\",\"created_at\":1,\"id\":\"x\",\"metadata\":{\"s\":\""
            + "\uD83D\uDE80".repeat(255)
            + "\"}}");
  }

  @Test
  void duplicateKeysAreErrorsNotLastWins() {
    assertThat(
            Schemas.errors(
                "event.schema.json",
                "{\"event_name\":\"a\",\"event_name\":\"b\",\"created_at\":1,\"id\":\"x\"}"))
        .singleElement()
        .asString()
        .startsWith("not valid JSON");
  }

  /**
   * A value whose pattern is anchored at both ends does not end in a newline: in Java's and
   * Python's regular expressions (not ECMA 262's) {@code $} also matches before a final line break,
   * so a validator of those would take {@code "ws_1\n"} for a workspace id, which the job refuses.
   */
  @ParameterizedTest
  @CsvSource({
    "event.schema.json, /workspace_id",
    "event.schema.json, /metadata/price/currency",
    "accepted-event.schema.json, /workspace_id",
    "accepted-event.schema.json, /event_name",
    "accepted-event.schema.json, /metadata/price/currency",
    "auth-line.schema.json, /event/workspace_id",
    "contact.schema.json, /workspace_id",
    "summary-import.schema.json, /workspace_id",
    "event-summary.schema.json, /workspace_id",
    "event-summary.schema.json, /events/0/first",
    "event-summary.schema.json, /events/0/last",
    "event-list.schema.json, /workspace_id",
    "report.schema.json, /started_at",
    "report.schema.json, /finished_at",
    "tokens.schema.json, /tokens/0/sha256",
    "tokens.schema.json, /tokens/0/workspace_id"
  })
  void anAnchoredValueDoesNotEndInANewline(String schema, String pointer) {
    JsonNode example = Schemas.document(schema).path("examples").get(0).deepCopy();
    assertThat(Schemas.errors(schema, example)).as("the example as it is").isEmpty();
    JsonPointer at = JsonPointer.compile(pointer);
    JsonNode value = example.at(at);
    assertThat(value.isTextual()).as(pointer + " in the first example").isTrue();
    ((ObjectNode) example.at(at.head()))
        .put(at.last().getMatchingProperty(), value.asText() + "\n");
    assertThat(Schemas.errors(schema, example)).as(pointer + " ending in a newline").isNotEmpty();
  }

  /** A key that ends in a newline does not end in {@code _date}, for the schema as for the job. */
  @Test
  void aKeyEndingInANewlineAfterDateIsNoDateKey() {
    for (String schema : List.of("event.schema.json", "accepted-event.schema.json")) {
      Schemas.assertValid(
          schema,
          "{\"workspace_id\":\"w\",\"event_name\":\"e\",\"created_at\":1,\"id\":\"x\","
              + "\"metadata\":{\"order_date\\n\":\"soon\"}}");
      Schemas.assertInvalid(
          schema,
          "{\"workspace_id\":\"w\",\"event_name\":\"e\",\"created_at\":1,\"id\":\"x\","
              + "\"metadata\":{\"order_date\":\"soon\"}}");
    }
  }

  private static List<String> sampleLines(String file) throws IOException {
    Path path = Schemas.directory().getParent().resolve("sample-data").resolve(file);
    return Files.readAllLines(path, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 6})
  void validSummaryImportLinesValidate(int line) throws IOException {
    Schemas.assertValid("summary-import.schema.json", sampleLines("summaries.jsonl").get(line - 1));
  }

  @Test
  void aSummaryImportWithCountZeroDoesNotValidate() throws IOException {
    Schemas.assertInvalid("summary-import.schema.json", sampleLines("summaries.jsonl").get(3));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 28, 29})
  void validSampleEventsValidate(int line) throws IOException {
    Schemas.assertValid("event.schema.json", sampleLines("events.jsonl").get(line - 1));
  }

  /**
   * Every rejected sample line but 19 (created_at in the future, relative to the run) breaks a rule
   * the schema expresses: 9 and 22 are not JSON (a repeated key), 10 an array, 11 milliseconds, 12
   * a string created_at, 13 no event_name, 14 no identifier, 15 workspace, 16 metadata array, 17
   * key with '.', 18 other object, 20 event_name 42, 21 email without @, 23 string _date, 24
   * fraction, 25 negative amount, 26 currency "dollars", 27 ftp rich link.
   */
  @ParameterizedTest
  @ValueSource(ints = {9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 22, 23, 24, 25, 26, 27})
  void invalidSampleEventsDoNotValidate(int line) throws IOException {
    Schemas.assertInvalid("event.schema.json", sampleLines("events.jsonl").get(line - 1));
  }

  @Test
  void anEventInTheFutureIsBeyondTheSchema() throws IOException {
    Schemas.assertValid("event.schema.json", sampleLines("events.jsonl").get(18));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void validSampleContactsValidate(int line) throws IOException {
    Schemas.assertValid("contact.schema.json", sampleLines("contacts.jsonl").get(line - 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 7})
  void invalidSampleContactsDoNot(int line) throws IOException {
    Schemas.assertInvalid("contact.schema.json", sampleLines("contacts.jsonl").get(line - 1));
  }

  /** Every bad directory line is invalid_contact: the schema names no event reason for it. */
  @Test
  void theContactSchemaNamesOnlyInvalidContactForBadLines() {
    String text = Schemas.document("contact.schema.json").toString();
    Set<String> named = reasonCodes().stream().filter(text::contains).collect(Collectors.toSet());
    assertThat(named).containsExactlyInAnyOrder("invalid_contact", "lead_requires_id");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"workspace_id\":\"ws_1\",\"id\":\"\"}",
        "{\"workspace_id\":\"ws_1\",\"id\":\"k5\",\"role\":\"User\"}",
        "{\"workspace_id\":\"ws 1\",\"id\":\"k6\"}",
        "{\"workspace_id\":\"ws_1\",\"id\":\"k7\",\"email\":\"nope\"}",
        "{\"workspace_id\":\"ws_1\",\"id\":null,\"user_id\":\"u\"}"
      })
  void invalidContactLinesDoNotValidate(String line) {
    Schemas.assertInvalid("contact.schema.json", line);
  }

  /**
   * event_name is trimmed as Java's String.strip() trims it before its 1-255 rule: lines the job
   * accepted (a name padded past 255 characters, Unicode spaces around it, a leading no-break space
   * it keeps) validate; names the job rejects (only U+2003, 256 characters) do not.
   */
  @Test
  void eventNameIsCountedAfterTrimmingAsTheJobTrimsIt() {
    String padded = "  " + "n".repeat(255) + "  ";
    Schemas.assertValid(
        "event.schema.json", "{\"event_name\":\"" + padded + "\",\"created_at\":1,\"id\":\"c\"}");
    Schemas.assertValid(
        "event.schema.json", "{\"event_name\":\"\u3000x\u2003\",\"created_at\":4,\"id\":\"c\"}");
    Schemas.assertValid(
        "event.schema.json", "{\"event_name\":\"\u00a0x\",\"created_at\":5,\"id\":\"c\"}");
    Schemas.assertValid(
        "event.schema.json",
        "{\"event_name\":\"" + "\uD83D\uDE80".repeat(255) + "\",\"created_at\":5,\"id\":\"c\"}");
    Schemas.assertInvalid(
        "event.schema.json", "{\"event_name\":\"\u2003\",\"created_at\":1,\"id\":\"c\"}");
    Schemas.assertInvalid(
        "event.schema.json", "{\"event_name\":\"\\u2003 \\t\",\"created_at\":1,\"id\":\"c\"}");
    Schemas.assertInvalid(
        "event.schema.json",
        "{\"event_name\":\"" + "n".repeat(256) + "\",\"created_at\":1,\"id\":\"c\"}");
    Schemas.assertInvalid(
        "event.schema.json",
        "{\"event_name\":\"a" + " ".repeat(254) + "b\",\"created_at\":1,\"id\":\"c\"}");

    Schemas.assertValid(
        "summary-import.schema.json",
        "{\"user_id\":\"u\",\"event_summaries\":{\"event_name\":\""
            + padded
            + "\",\"count\":1,\"first\":1,\"last\":1}}");
    Schemas.assertInvalid(
        "summary-import.schema.json",
        "{\"user_id\":\"u\",\"event_summaries\":{\"event_name\":\"\u3000\",\"count\":1,\"first\":1,"
            + "\"last\":1}}");

    Schemas.assertValid(
        "accepted-event.schema.json",
        "{\"workspace_id\":\"default\",\"event_name\":\"\u00a0x\",\"created_at\":5,\"id\":\"c\"}");
    Schemas.assertInvalid(
        "accepted-event.schema.json",
        "{\"workspace_id\":\"default\",\"event_name\":\"\u2003x\",\"created_at\":5,\"id\":\"c\"}");
  }

  /** What the event schema cannot check is said in its description. */
  @Test
  void theEventSchemaNamesTheRulesItCannotExpress() {
    String description = Schemas.document("event.schema.json").path("description").asText();
    assertThat(description)
        .contains(
            "duplicate keys",
            "1000 levels",
            "--max-line-bytes",
            "--max-future",
            "1e400",
            "with a host",
            "ISO 4217",
            "equal but for case")
        .doesNotContain("can fail this schema only through metadata keys");
  }

  /** Lines a stream under --auth accepted, with the token of {@code tokens.json} below. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"access_token\": \"secret-token-1\", \"event\": {\"workspace_id\": \"ws_1\","
            + " \"event_name\": \"a\", \"created_at\": 1795801723, \"user_id\": \"u1\"}}",
        "{\"access_token\": \"secret-token-1\", \"extra\": {\"x\": 1}, \"event\":"
            + " {\"workspace_id\": \"ws_1\", \"event_name\": \"b\", \"created_at\": 1795801723,"
            + " \"user_id\": \"u1\"}}",
        "{\"access_token\": \"secret-token-1\", \"Access_Token\": \"other\", \"event\":"
            + " {\"workspace_id\": \"ws_1\", \"event_name\": \"c\", \"created_at\": 1795801723,"
            + " \"user_id\": \"u1\"}}"
      })
  void acceptedAuthLinesValidate(String line) {
    Schemas.assertValid("auth-line.schema.json", line);
  }

  /**
   * Lines the job rejects for what the schema can see: no token or one that is not a string
   * (unauthorized), no event or one that is not an object (not_an_object), an event breaking the
   * event rules (through the $ref to event.schema.json).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"event\": {\"workspace_id\": \"ws_1\", \"event_name\": \"a\", \"created_at\": 1,"
            + " \"user_id\": \"u1\"}}",
        "{\"access_token\": 5, \"event\": {\"workspace_id\": \"ws_1\", \"event_name\": \"a\","
            + " \"created_at\": 1, \"user_id\": \"u1\"}}",
        "{\"access_token\": null, \"event\": {\"workspace_id\": \"ws_1\", \"event_name\": \"a\","
            + " \"created_at\": 1, \"user_id\": \"u1\"}}",
        "{\"access_token\": \"\", \"event\": {\"workspace_id\": \"ws_1\", \"event_name\": \"a\","
            + " \"created_at\": 1, \"user_id\": \"u1\"}}",
        "{\"access_token\": \"secret-token-1\", \"event\": [1]}",
        "{\"access_token\": \"secret-token-1\"}",
        "{\"access_token\": \"secret-token-1\", \"event\": {\"workspace_id\": \"ws_1\","
            + " \"created_at\": 1, \"user_id\": \"u1\"}}",
        "{\"access_token\": \"secret-token-1\", \"event\": {\"workspace_id\": 5,"
            + " \"event_name\": \"b\", \"created_at\": 1, \"user_id\": \"u1\"}}",
        "[\"secret-token-1\"]"
      })
  void rejectedAuthLinesDoNotValidate(String line) {
    Schemas.assertInvalid("auth-line.schema.json", line);
  }

  private static final String SHA256_OF_SECRET_TOKEN_1 =
      "0f1d7b1c1d0ab5b1a2c6a2b5e3a3b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8";

  /** A tokens file a stream started with: unknown keys, an upper-case hash, empty scopes. */
  @Test
  void aTokensFileTheStreamTookValidates() {
    Schemas.assertValid(
        "tokens.schema.json",
        "{\"tokens\": [{\"sha256\": \""
            + SHA256_OF_SECRET_TOKEN_1
            + "\", \"workspace_id\": \"ws_1\", \"scopes\": [\"write_events\"], \"note\": \"x\"},"
            + " {\"sha256\": \""
            + SHA256_OF_SECRET_TOKEN_1.toUpperCase(java.util.Locale.ROOT).replace('0', '1')
            + "\", \"workspace_id\": \"ws_1\", \"scopes\": []}], \"extra\": 1}");
    Schemas.assertValid("tokens.schema.json", "{\"tokens\": []}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"tokens\": {}}",
        "[]",
        "{\"tokens\": [\"abc\"]}",
        "{\"tokens\": [{\"sha256\": null, \"workspace_id\": \"ws_1\", \"scopes\": []}]}",
        "{\"tokens\": [{\"sha256\": \"abc\", \"workspace_id\": \"ws_1\", \"scopes\": []}]}",
        "{\"tokens\": [{\"sha256\": \"SHA\", \"workspace_id\": \"ws 1\", \"scopes\": []}]}",
        "{\"tokens\": [{\"sha256\": \"SHA\", \"scopes\": [\"write_events\"]}]}",
        "{\"tokens\": [{\"sha256\": \"SHA\", \"workspace_id\": \"ws_1\"}]}",
        "{\"tokens\": [{\"sha256\": \"SHA\", \"workspace_id\": \"ws_1\", \"scopes\": [1]}]}",
        "{\"tokens\": [{\"sha256\": \"SHA\", \"workspace_id\": \"ws_1\", \"scopes\": \"x\"}]}",
        "{\"tokens\": [], \"tokens\": []}"
      })
  void tokensFilesTheStreamRefusesDoNotValidate(String file) {
    Schemas.assertInvalid("tokens.schema.json", file.replace("SHA", SHA256_OF_SECRET_TOKEN_1));
  }

  /** A stream's report.json (under --auth), as of a checkpoint. */
  private static final String STREAM_REPORT =
      "{\"input_records\":16,\"accepted\":3,\"duplicates\":0,\"rejected\":13,\"rejected_by_reason\":{\"forbidden\":5,\"invalid_workspace_id\":1,\"not_an_object\":2,\"outside_dedup_horizon\":1,\"unauthorized\":4},\"blank_lines\":0,\"metadata_keys_dropped\":0,\"metadata_values_truncated\":0,\"summary_records_imported\":0,\"directory_entries\":0,\"contacts\":1,\"summaries\":1,\"listing_pages\":1,\"reference_time\":1795801772,\"parallelism\":2,\"started_at\":\"2026-11-27T17:48:54.508Z\",\"finished_at\":\"2026-11-27T17:49:32.462Z\",\"elapsed_ms\":37954}";

  @Test
  void aStreamsReportValidates() {
    Schemas.assertValid("report.schema.json", STREAM_REPORT);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, 100000000000L})
  void aReportsReferenceTimeIsWithinTheLimitsOfAsOf(long referenceTime) throws IOException {
    ObjectNode report = (ObjectNode) MAPPER.readTree(STREAM_REPORT);
    report.put("reference_time", referenceTime);
    assertThat(Schemas.errors("report.schema.json", report)).isNotEmpty();
    report.put("reference_time", 1);
    assertThat(Schemas.errors("report.schema.json", report)).isEmpty();
    report.put("reference_time", 99999999999L);
    assertThat(Schemas.errors("report.schema.json", report)).isEmpty();
  }

  /** A stream's snapshots, as written (with updated_at). */
  private static final String STREAM_LISTING =
      "{\"type\":\"event.list\",\"workspace_id\":\"ws_1\",\"user_id\":\"u1\",\"intercom_user_id\":null,\"email\":null,\"events\":[{\"type\":\"event\",\"event_name\":\"a\",\"created_at\":1795801723,\"user_id\":\"u1\",\"metadata\":{}},{\"type\":\"event\",\"event_name\":\"b\",\"created_at\":1795801723,\"user_id\":\"u1\",\"metadata\":{}},{\"type\":\"event\",\"event_name\":\"c\",\"created_at\":1795801723,\"user_id\":\"u1\",\"metadata\":{}}],\"pages\":{\"type\":\"pages\",\"page\":1,\"per_page\":50,\"total_pages\":1,\"next\":null},\"updated_at\":\"2026-11-27T17:48:57.445Z\"}";

  private static final String STREAM_SUMMARY =
      "{\"type\":\"event.summary\",\"workspace_id\":\"ws_1\",\"user_id\":\"u1\",\"intercom_user_id\":null,\"email\":null,\"events\":[{\"name\":\"a\",\"first\":\"2026-11-27T17:48:43.000Z\",\"last\":\"2026-11-27T17:48:43.000Z\",\"count\":1,\"description\":null},{\"name\":\"b\",\"first\":\"2026-11-27T17:48:43.000Z\",\"last\":\"2026-11-27T17:48:43.000Z\",\"count\":1,\"description\":null},{\"name\":\"c\",\"first\":\"2026-11-27T17:48:43.000Z\",\"last\":\"2026-11-27T17:48:43.000Z\",\"count\":1,\"description\":null}],\"updated_at\":\"2026-11-27T17:48:57.445Z\"}";

  @Test
  void aStreamsSnapshotsValidate() {
    Schemas.assertValid("event-list.schema.json", STREAM_LISTING);
    Schemas.assertValid("event-summary.schema.json", STREAM_SUMMARY);
  }

  /**
   * A page with no events is a stream's empty snapshot (page 1 of 0, with updated_at); a bounded
   * run (no updated_at) never writes one, and total_pages is 0 on no other page.
   */
  @Test
  void onlyAStreamWritesAnEmptyListingPage() throws IOException {
    ObjectNode empty = (ObjectNode) MAPPER.readTree(STREAM_LISTING);
    empty.putArray("events");
    ObjectNode pages = (ObjectNode) empty.get("pages");
    pages.put("total_pages", 0);
    assertThat(Schemas.errors("event-list.schema.json", empty)).isEmpty();

    ObjectNode bounded = empty.deepCopy();
    bounded.remove("updated_at");
    assertThat(Schemas.errors("event-list.schema.json", bounded)).isNotEmpty();

    ObjectNode emptyOfOne = empty.deepCopy();
    ((ObjectNode) emptyOfOne.get("pages")).put("total_pages", 1);
    assertThat(Schemas.errors("event-list.schema.json", emptyOfOne)).isNotEmpty();

    ObjectNode zeroPagesWithEvents = (ObjectNode) MAPPER.readTree(STREAM_LISTING);
    ((ObjectNode) zeroPagesWithEvents.get("pages")).put("total_pages", 0);
    assertThat(Schemas.errors("event-list.schema.json", zeroPagesWithEvents)).isNotEmpty();
  }

  @Test
  void theSummarySchemaCoversStreamSnapshots() {
    assertThat(Schemas.document("event-summary.schema.json").path("description").asText())
        .doesNotContain("not covered");
  }
}
