package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.CREATED_AT_IN_FUTURE;
import static dev.dataevents.model.RejectionReason.CREATED_AT_IN_MILLISECONDS;
import static dev.dataevents.model.RejectionReason.INVALID_CREATED_AT;
import static dev.dataevents.model.RejectionReason.INVALID_EVENT_NAME;
import static dev.dataevents.model.RejectionReason.INVALID_IDENTIFIER;
import static dev.dataevents.model.RejectionReason.INVALID_JSON;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_KEY;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_VALUE;
import static dev.dataevents.model.RejectionReason.INVALID_WORKSPACE_ID;
import static dev.dataevents.model.RejectionReason.MISSING_CREATED_AT;
import static dev.dataevents.model.RejectionReason.MISSING_EVENT_NAME;
import static dev.dataevents.model.RejectionReason.MISSING_IDENTIFIER;
import static dev.dataevents.model.RejectionReason.NOT_AN_OBJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.dataevents.json.Json;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.RejectionReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract's input table (docs/contract.md), row by row, for event lines. */
class EventValidationTest {
  /** 2026-11-01T00:00:00Z. */
  static final long REFERENCE = 1_793_491_200L;

  static final long MAX_FUTURE = 86_400L;
  static final ValidationSettings SETTINGS =
      new ValidationSettings("default", REFERENCE, MAX_FUTURE, 10);
  static final String ROCKET = "\uD83D\uDE80";

  private final RecordValidator validator = new RecordValidator(SETTINGS);

  // ---------------------------------------------------------------- helpers

  /** A JSON string literal. */
  static String q(String s) {
    try {
      return Json.mapper().writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** A valid event; fields are replaced or removed to break one rule at a time. */
  static Line ev() {
    return new Line()
        .set("workspace_id", q("ws_1"))
        .set("event_name", q("placed-order"))
        .set("created_at", "1389913941")
        .set("user_id", q("314159"));
  }

  /** An ordered set of fields, each with its raw JSON value. */
  static final class Line {
    private final Map<String, String> fields = new LinkedHashMap<>();

    Line set(String name, String rawJson) {
      fields.put(name, rawJson);
      return this;
    }

    Line without(String... names) {
      for (String name : names) {
        fields.remove(name);
      }
      return this;
    }

    String json() {
      return fields.entrySet().stream()
          .map(e -> q(e.getKey()) + ":" + e.getValue())
          .collect(Collectors.joining(",", "{", "}"));
    }

    @Override
    public String toString() {
      return json();
    }
  }

  ContactRecord accept(String line) {
    try {
      return validator.event(line, 7L, null, line);
    } catch (RecordRejectedException e) {
      return fail("expected %s to be accepted, was rejected %s (%s)", shorten(line), e.reason(), e);
    }
  }

  ContactRecord accept(Line line) {
    return accept(line.json());
  }

  RecordRejectedException reject(String line) {
    try {
      ContactRecord record = validator.event(line, 7L, null, null);
      return fail("expected %s to be rejected, was accepted as %s", shorten(line), record);
    } catch (RecordRejectedException e) {
      return e;
    }
  }

  void assertRejected(String line, RejectionReason reason, String field) {
    RecordRejectedException e = reject(line);
    assertThat(e.reason())
        .as("reason for %s (%s)", shorten(line), e.getMessage())
        .isEqualTo(reason);
    assertThat(e.field()).as("field for %s", shorten(line)).isEqualTo(field);
    assertThat(e.getMessage()).as("message for %s", shorten(line)).isNotBlank();
  }

  /** A line cut short for assertion messages. */
  static String shorten(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  static String repeat(String s, int n) {
    return s.repeat(n);
  }

  // ---------------------------------------------------------------- the example and pass-through

  @Test
  void acceptsTheExampleOfTheContract() throws Exception {
    String line =
        "{\"workspace_id\":\"ws_1\",\"event_name\":\"placed-order\",\"created_at\":1389913941,"
            + "\"user_id\":\"314159\",\"metadata\":{\"order_date\":1392036272,"
            + "\"stripe_invoice\":\"inv_3434343434\",\"order_number\":{\"value\":\"3434-3434\","
            + "\"url\":\"https://example.org/orders/3434-3434\"},"
            + "\"price\":{\"currency\":\"usd\",\"amount\":2999}}}";

    ContactRecord record = validator.event(line, 42L, null, line);

    assertThat(record.workspaceId()).isEqualTo("ws_1");
    assertThat(record.contactKey()).isEqualTo("user_id:314159");
    assertThat(record.position()).isEqualTo(42L);
    assertThat(record.summaryImport()).isFalse();
    assertThat(record.eventName()).isEqualTo("placed-order");
    assertThat(record.createdAt()).isEqualTo(1389913941L);
    assertThat(record.userId()).isEqualTo("314159");
    assertThat(record.id()).isNull();
    assertThat(record.email()).isNull();
    assertThat(record.metadataKeysDropped()).isZero();
    assertThat(record.metadataValuesTruncated()).isZero();
    assertThat(record.raw()).isEqualTo(line);
    assertThat(record.summaryNames()).isNull();
    assertThat(record.summaryCounts()).isNull();
    assertThat(InputJson.parse(record.metadataJson()))
        .isEqualTo(
            InputJson.parse(
                "{\"order_date\":1392036272,\"stripe_invoice\":\"inv_3434343434\","
                    + "\"order_number\":{\"value\":\"3434-3434\","
                    + "\"url\":\"https://example.org/orders/3434-3434\"},"
                    + "\"price\":{\"currency\":\"usd\",\"amount\":2999}}"));
    // Kept keys stay in the order they were sent.
    assertThat(InputJson.parse(record.metadataJson()).fieldNames())
        .toIterable()
        .containsExactly("order_date", "stripe_invoice", "order_number", "price");
  }

  @Test
  void rawIsKeptOnlyWhenGiven() throws Exception {
    assertThat(validator.event(ev().json(), 1L, null, null).raw()).isNull();
  }

  @Test
  void otherFieldsAreIgnored() {
    ContactRecord record =
        accept(
            ev().set("type", q("event"))
                .set("foo", "[1,{\"a\":true}]")
                .set("bar", "null")
                .set("event", "{\"nested\":\"x\"}")
                .set("intercom_user_id", "12.5"));

    assertThat(record.eventName()).isEqualTo("placed-order");
    assertThat(record.metadataJson()).isNull();
  }

  // ---------------------------------------------------------------- line

  static Stream<Arguments> invalidJson() {
    return Stream.of(
        arguments("syntax error", "{\"event_name\":"),
        arguments("not JSON at all", "placed-order at 1389913941"),
        arguments("unquoted key", "{event_name:\"x\"}"),
        arguments("single quotes", "{'event_name':'x'}"),
        arguments("trailing comma", "{\"event_name\":\"x\",}"),
        arguments("leading zero", "{\"created_at\":01389913941}"),
        arguments("NaN", "{\"created_at\":NaN}"),
        arguments("trailing garbage", ev().json() + " x"),
        arguments("a second object", ev().json() + "{}"),
        arguments("a second value", ev().json() + " 1"),
        arguments(
            "duplicate key",
            "{\"event_name\":\"a\",\"created_at\":1389913941,\"user_id\":\"1\",\"user_id\":\"2\"}"),
        arguments("duplicate key with equal values", ev().json().replace("}", ",\"x\":1,\"x\":1}")),
        arguments(
            "duplicate key inside metadata",
            ev().set("metadata", "{\"plan\":\"a\",\"plan\":\"b\"}").json()),
        arguments("empty line", ""),
        arguments("whitespace only", "   "));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidJson")
  void rejectsInvalidJson(String label, String line) {
    assertRejected(line, INVALID_JSON, null);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "[]",
        "[{\"event_name\":\"x\",\"created_at\":1389913941,\"user_id\":\"1\"}]",
        "\"placed-order\"",
        "42",
        "1.5",
        "null",
        "true"
      })
  void rejectsWhatIsNotAnObject(String line) {
    assertRejected(line, NOT_AN_OBJECT, null);
  }

  @Test
  void deeplyNestedIgnoredFieldsAreValidJsonUpToTheDepthLimit() {
    int depth = Json.MAX_NESTING_DEPTH - 1; // the line's object is the first level
    accept(ev().set("extra", "[".repeat(depth) + "]".repeat(depth)));
    assertRejected(
        ev().set("extra", "[".repeat(depth + 1) + "]".repeat(depth + 1)).json(),
        INVALID_JSON,
        null);
  }

  // ---------------------------------------------------------------- workspace_id

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\"ws_1\"",
        "\"A-z_09\"",
        "\"x\"",
        "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
      })
  void acceptsValidWorkspaceIds(String raw) throws Exception {
    assertThat(accept(ev().set("workspace_id", raw)).workspaceId())
        .isEqualTo(InputJson.parse(raw).textValue());
  }

  static Stream<Arguments> invalidWorkspaceIds() {
    return Stream.of(
        arguments("65 characters", q(repeat("a", 65))),
        arguments("space", q("ws 1")),
        arguments("dot", q("ws.1")),
        arguments("non-ASCII letter", q("wé")),
        arguments("empty", q("")),
        arguments("integer", "42"),
        arguments("boolean", "true"),
        arguments("array", "[\"ws_1\"]"),
        arguments("object", "{\"id\":\"ws_1\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidWorkspaceIds")
  void rejectsInvalidWorkspaceIds(String label, String raw) {
    assertRejected(ev().set("workspace_id", raw).json(), INVALID_WORKSPACE_ID, "workspace_id");
  }

  @Test
  void workspaceDefaultsWhenAbsent() {
    assertThat(accept(ev().without("workspace_id")).workspaceId()).isEqualTo("default");
  }

  @Test
  void workspaceDefaultsWhenNull() {
    assertThat(accept(ev().set("workspace_id", "null")).workspaceId()).isEqualTo("default");
  }

  @Test
  void workspaceDefaultIsTheConfiguredOne() throws Exception {
    RecordValidator other =
        new RecordValidator(new ValidationSettings("acme", REFERENCE, MAX_FUTURE, 10));
    assertThat(other.event(ev().without("workspace_id").json(), 1L, null, null).workspaceId())
        .isEqualTo("acme");
  }

  // ---------------------------------------------------------------- event_name

  static Stream<Arguments> normalisedEventNames() {
    return Stream.of(
        arguments(q("placed-order"), "placed-order"),
        arguments(q("  Placed-Order  "), "placed-order"),
        arguments(q("\tSigned Up\n"), "signed up"),
        arguments(q("PLACED.ORDER"), "placed-order"),
        arguments(q("a$b.c$$d"), "a-b-c--d"),
        arguments(q(" .$ "), "--"),
        arguments(q("ÉVÉNEMENT"), "événement"),
        arguments(q(ROCKET + " Launch"), ROCKET + " launch"),
        arguments(q(repeat("a", 255)), repeat("a", 255)),
        arguments(q("   " + repeat("B", 255) + "   "), repeat("b", 255)),
        arguments(q(repeat(ROCKET, 255)), repeat(ROCKET, 255)),
        arguments("\"a\\ud800b\"", "a\uFFFDb"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("normalisedEventNames")
  void normalisesEventNames(String raw, String expected) {
    assertThat(accept(ev().set("event_name", raw)).eventName()).isEqualTo(expected);
  }

  static Stream<Arguments> invalidEventNames() {
    return Stream.of(
        arguments("256 characters", q(repeat("a", 256))),
        arguments("256 code points beyond the BMP", q(repeat(ROCKET, 256))),
        arguments("255 code points and one more", q(repeat(ROCKET, 255) + "a")),
        arguments("empty", q("")),
        arguments("empty after trimming", q(" \t\n ")),
        arguments("integer", "42"),
        arguments("float", "1.5"),
        arguments("boolean", "false"),
        arguments("array", "[\"placed-order\"]"),
        arguments("object", "{\"name\":\"placed-order\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEventNames")
  void rejectsInvalidEventNames(String label, String raw) {
    assertRejected(ev().set("event_name", raw).json(), INVALID_EVENT_NAME, "event_name");
  }

  @Test
  void rejectsAMissingEventName() {
    assertRejected(ev().without("event_name").json(), MISSING_EVENT_NAME, "event_name");
  }

  @Test
  void rejectsANullEventName() {
    assertRejected(ev().set("event_name", "null").json(), MISSING_EVENT_NAME, "event_name");
  }

  @Test
  void theLengthLimitAppliesToTheTrimmedNameNotToItsLowerCase() {
    String name = repeat("\u0130", 200);
    ContactRecord record = accept(ev().set("event_name", q(name)));
    assertThat(record.eventName()).startsWith("i");
    // Lower-cased, each U+0130 is two code points: the output schemas allow up to 510.
    assertThat(record.eventName().codePointCount(0, record.eventName().length())).isEqualTo(400);
    dev.dataevents.testing.Schemas.assertValid(
        "accepted-event.schema.json",
        new String(
            dev.dataevents.output.RecordJson.acceptedEvent(record),
            java.nio.charset.StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- created_at

  @ParameterizedTest(name = "{0}")
  @ValueSource(longs = {1L, 1389913941L, REFERENCE, REFERENCE + MAX_FUTURE})
  void acceptsCreatedAt(long seconds) {
    assertThat(accept(ev().set("created_at", Long.toString(seconds))).createdAt())
        .isEqualTo(seconds);
  }

  @Test
  void theLargestSecondsAreNotTakenForMilliseconds() throws Exception {
    RecordValidator farFuture =
        new RecordValidator(
            new ValidationSettings("default", 99_999_999_999L - MAX_FUTURE, MAX_FUTURE, 10));
    String line = ev().set("created_at", "99999999999").json();

    assertThat(farFuture.event(line, 1L, null, null).createdAt()).isEqualTo(99_999_999_999L);
    // With the fixed reference time of these tests it is in the future, not milliseconds.
    assertRejected(line, CREATED_AT_IN_FUTURE, "created_at");
  }

  static Stream<Arguments> rejectedTimes() {
    return Stream.of(
        arguments("string", q("1389913941"), INVALID_CREATED_AT),
        arguments("float with zero fraction", "1389913941.0", INVALID_CREATED_AT),
        arguments("float", "1.5", INVALID_CREATED_AT),
        arguments("exponent", "1.389913941e9", INVALID_CREATED_AT),
        arguments("boolean", "true", INVALID_CREATED_AT),
        arguments("object", "{\"seconds\":1389913941}", INVALID_CREATED_AT),
        arguments("array", "[1389913941]", INVALID_CREATED_AT),
        arguments("zero", "0", INVALID_CREATED_AT),
        arguments("negative", "-1", INVALID_CREATED_AT),
        arguments("negative milliseconds", "-1389913941000", INVALID_CREATED_AT),
        arguments("huge negative", "-123456789012345678901234567890", INVALID_CREATED_AT),
        arguments("the threshold", "100000000000", CREATED_AT_IN_MILLISECONDS),
        arguments("milliseconds", "1389913941000", CREATED_AT_IN_MILLISECONDS),
        arguments("Long.MAX_VALUE", Long.toString(Long.MAX_VALUE), CREATED_AT_IN_MILLISECONDS),
        // 100000000000 or more "looks like milliseconds", also beyond 64 bits.
        arguments("beyond long", "123456789012345678901234567890", CREATED_AT_IN_MILLISECONDS),
        arguments("Long.MAX_VALUE + 1", "9223372036854775808", CREATED_AT_IN_MILLISECONDS),
        arguments("Long.MIN_VALUE - 1", "-9223372036854775809", INVALID_CREATED_AT),
        arguments(
            "one second past the limit",
            Long.toString(REFERENCE + MAX_FUTURE + 1),
            CREATED_AT_IN_FUTURE),
        arguments("far future", "99999999999", CREATED_AT_IN_FUTURE));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @MethodSource("rejectedTimes")
  void rejectsCreatedAt(String label, String raw, RejectionReason reason) {
    assertRejected(ev().set("created_at", raw).json(), reason, "created_at");
  }

  @Test
  void rejectsAMissingCreatedAt() {
    assertRejected(ev().without("created_at").json(), MISSING_CREATED_AT, "created_at");
  }

  @Test
  void rejectsANullCreatedAt() {
    assertRejected(ev().set("created_at", "null").json(), MISSING_CREATED_AT, "created_at");
  }

  @Test
  void aCreatedAtOfMoreThanAThousandDigitsLooksLikeMilliseconds() {
    assertRejected(
        ev().set("created_at", "1" + "0".repeat(1000)).json(),
        CREATED_AT_IN_MILLISECONDS,
        "created_at");
    assertRejected(
        ev().set("created_at", "-1" + "0".repeat(1000)).json(), INVALID_CREATED_AT, "created_at");
  }

  // ---------------------------------------------------------------- identifiers

  @Test
  void rejectsAnEventWithoutIdentifiers() {
    assertRejected(ev().without("user_id").json(), MISSING_IDENTIFIER, null);
  }

  @Test
  void nullIdentifiersCountAsAbsent() {
    assertRejected(
        ev().set("user_id", "null").set("id", "null").set("email", "null").json(),
        MISSING_IDENTIFIER,
        null);
  }

  static Stream<Arguments> acceptedIdentifiers() {
    return Stream.of(
        arguments(ev().set("user_id", "314159"), "314159", null, null, "user_id:314159", "integer"),
        arguments(
            ev().set("user_id", "123456789012345678901234567890"),
            "123456789012345678901234567890",
            null,
            null,
            "user_id:123456789012345678901234567890",
            "integer beyond long"),
        arguments(ev().set("user_id", "-7"), "-7", null, null, "user_id:-7", "negative integer"),
        arguments(ev().set("user_id", "-0"), "0", null, null, "user_id:0", "minus zero is zero"),
        arguments(
            ev().set("user_id", q("U-1")).set("id", q("abc")).set("email", q("A@B.example")),
            "U-1",
            "abc",
            "A@B.example",
            "user_id:U-1",
            "all three: user_id first"),
        arguments(
            ev().without("user_id").set("id", q("abc")).set("email", q("a@b.example")),
            null,
            "abc",
            "a@b.example",
            "id:abc",
            "id before email"),
        arguments(
            ev().set("user_id", "null").set("id", q("abc")),
            null,
            "abc",
            null,
            "id:abc",
            "null user_id skipped"),
        arguments(
            ev().without("user_id").set("email", q("Jane.Doe@Example.COM")),
            null,
            null,
            "Jane.Doe@Example.COM",
            "email:jane.doe@example.com",
            "email lower-cased in the key only"),
        arguments(
            ev().set("user_id", q(repeat("u", 255))),
            repeat("u", 255),
            null,
            null,
            "user_id:" + repeat("u", 255),
            "255 characters"),
        arguments(
            ev().set("user_id", q(repeat(ROCKET, 255))),
            repeat(ROCKET, 255),
            null,
            null,
            "user_id:" + repeat(ROCKET, 255),
            "255 code points beyond the BMP"),
        arguments(
            ev().without("user_id").set("email", q("@")), null, null, "@", "email:@", "just @"));
  }

  @ParameterizedTest(name = "{5}")
  @MethodSource("acceptedIdentifiers")
  void acceptsIdentifiers(
      Line line, String userId, String id, String email, String contactKey, String label) {
    ContactRecord record = accept(line);
    assertThat(record.userId()).isEqualTo(userId);
    assertThat(record.id()).isEqualTo(id);
    assertThat(record.email()).isEqualTo(email);
    assertThat(record.contactKey()).isEqualTo(contactKey);
    assertThat(record.contactId().contactKey()).isEqualTo(contactKey);
  }

  static Stream<Arguments> invalidIdentifiers() {
    return Stream.of(
        arguments("user_id float", ev().set("user_id", "1.5"), "user_id"),
        arguments("user_id float with zero fraction", ev().set("user_id", "314159.0"), "user_id"),
        arguments("user_id boolean", ev().set("user_id", "true"), "user_id"),
        arguments("user_id array", ev().set("user_id", "[\"1\"]"), "user_id"),
        arguments("user_id object", ev().set("user_id", "{}"), "user_id"),
        arguments("user_id empty", ev().set("user_id", q("")), "user_id"),
        arguments("user_id 256 characters", ev().set("user_id", q(repeat("u", 256))), "user_id"),
        arguments(
            "user_id 256 code points", ev().set("user_id", q(repeat(ROCKET, 256))), "user_id"),
        arguments("id integer", ev().without("user_id").set("id", "42"), "id"),
        arguments("id boolean", ev().without("user_id").set("id", "false"), "id"),
        arguments("id empty", ev().without("user_id").set("id", q("")), "id"),
        arguments(
            "id 256 characters", ev().without("user_id").set("id", q(repeat("i", 256))), "id"),
        arguments("email without @", ev().without("user_id").set("email", q("jane")), "email"),
        arguments("email empty", ev().without("user_id").set("email", q("")), "email"),
        arguments("email integer", ev().without("user_id").set("email", "42"), "email"),
        arguments(
            "email 256 characters",
            ev().without("user_id").set("email", q(repeat("e", 250) + "@x.org")),
            "email"),
        arguments("valid user_id, invalid id", ev().set("user_id", q("1")).set("id", "42"), "id"),
        arguments(
            "valid user_id, invalid email",
            ev().set("user_id", q("1")).set("email", q("jane")),
            "email"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidIdentifiers")
  void rejectsInvalidIdentifiers(String label, Line line, String field) {
    assertRejected(line.json(), INVALID_IDENTIFIER, field);
  }

  // ---------------------------------------------------------------- metadata

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"42", "\"plan\"", "[]", "[{\"plan\":\"pro\"}]", "true", "1.5"})
  void rejectsMetadataThatIsNotAnObject(String raw) {
    assertRejected(ev().set("metadata", raw).json(), INVALID_METADATA, "metadata");
  }

  @Test
  void nullMetadataIsAbsent() {
    ContactRecord record = accept(ev().set("metadata", "null"));
    assertThat(record.metadataJson()).isNull();
    assertThat(record.metadataKeysDropped()).isZero();
    assertThat(record.metadataValuesTruncated()).isZero();
  }

  @Test
  void absentMetadataKeepsNothing() {
    assertThat(accept(ev()).metadataJson()).isNull();
  }

  @Test
  void emptyMetadataKeepsNothing() {
    ContactRecord record = accept(ev().set("metadata", "{}"));
    assertThat(record.metadataJson()).isNull();
    assertThat(record.metadataKeysDropped()).isZero();
  }

  @Test
  void metadataCountsReachTheRecord() throws Exception {
    String metadata =
        "{\"Plan\":\"pro\",\"plan\":\"free\",\"note\":" + q(repeat("n", 300)) + ",\"n\":1}";
    RecordValidator twoKeys =
        new RecordValidator(new ValidationSettings("default", REFERENCE, MAX_FUTURE, 2));

    ContactRecord record = twoKeys.event(ev().set("metadata", metadata).json(), 1L, null, null);

    assertThat(record.metadataJson())
        .isEqualTo("{\"Plan\":\"pro\",\"note\":" + q(repeat("n", 255)) + "}");
    assertThat(record.metadataKeysDropped()).isEqualTo(2);
    assertThat(record.metadataValuesTruncated()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- order of the rules

  static Stream<Arguments> firstBrokenRuleWins() {
    return Stream.of(
        arguments(
            "duplicate key + everything else",
            "{\"workspace_id\":\"a b\",\"workspace_id\":\"c d\",\"metadata\":5}",
            INVALID_JSON,
            null),
        arguments(
            "bad workspace + missing event name",
            ev().set("workspace_id", q("a b")).without("event_name").json(),
            INVALID_WORKSPACE_ID,
            "workspace_id"),
        arguments(
            "bad workspace + everything else",
            "{\"workspace_id\":7,\"event_name\":\"\",\"created_at\":\"x\",\"user_id\":1.5,"
                + "\"metadata\":[]}",
            INVALID_WORKSPACE_ID,
            "workspace_id"),
        arguments(
            "missing event name + bad created_at",
            ev().without("event_name").set("created_at", q("x")).json(),
            MISSING_EVENT_NAME,
            "event_name"),
        arguments(
            "invalid event name + missing created_at",
            ev().set("event_name", q(" ")).without("created_at").json(),
            INVALID_EVENT_NAME,
            "event_name"),
        arguments(
            "missing created_at + missing identifier",
            ev().without("created_at", "user_id").json(),
            MISSING_CREATED_AT,
            "created_at"),
        arguments(
            "bad created_at + missing identifier",
            ev().set("created_at", "1.5").without("user_id").json(),
            INVALID_CREATED_AT,
            "created_at"),
        arguments(
            "milliseconds + invalid identifier",
            ev().set("created_at", "1389913941000").set("user_id", "true").json(),
            CREATED_AT_IN_MILLISECONDS,
            "created_at"),
        arguments(
            "future + missing identifier",
            ev().set("created_at", Long.toString(REFERENCE + MAX_FUTURE + 1))
                .without("user_id")
                .json(),
            CREATED_AT_IN_FUTURE,
            "created_at"),
        arguments(
            "missing identifier + bad metadata",
            ev().without("user_id").set("metadata", "42").json(),
            MISSING_IDENTIFIER,
            null),
        arguments(
            "invalid identifier + bad metadata key",
            ev().set("id", "42").set("metadata", "{\"a.b\":1}").json(),
            INVALID_IDENTIFIER,
            "id"),
        arguments(
            "metadata not an object",
            ev().set("metadata", "[]").json(),
            INVALID_METADATA,
            "metadata"),
        arguments(
            "metadata key last",
            ev().set("metadata", "{\"a.b\":1}").json(),
            INVALID_METADATA_KEY,
            "metadata.a.b"),
        arguments(
            "metadata value last",
            ev().set("metadata", "{\"flag\":true}").json(),
            INVALID_METADATA_VALUE,
            "metadata.flag"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("firstBrokenRuleWins")
  void rejectsForTheFirstBrokenRule(
      String label, String line, RejectionReason reason, String field) {
    assertRejected(line, reason, field);
  }

  @Test
  void reasonsAreDeclaredInTheOrderOfTheRules() {
    // The enum's order is documented as the order in which rules are checked.
    assertThat(RejectionReason.values())
        .containsSubsequence(
            INVALID_JSON,
            NOT_AN_OBJECT,
            INVALID_WORKSPACE_ID,
            MISSING_EVENT_NAME,
            INVALID_EVENT_NAME,
            MISSING_CREATED_AT,
            INVALID_CREATED_AT,
            CREATED_AT_IN_MILLISECONDS,
            CREATED_AT_IN_FUTURE,
            MISSING_IDENTIFIER,
            INVALID_IDENTIFIER,
            INVALID_METADATA,
            INVALID_METADATA_KEY,
            INVALID_METADATA_VALUE);
  }
}
