package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.INVALID_EVENT_SUMMARIES;
import static dev.dataevents.model.RejectionReason.INVALID_IDENTIFIER;
import static dev.dataevents.model.RejectionReason.INVALID_JSON;
import static dev.dataevents.model.RejectionReason.INVALID_WORKSPACE_ID;
import static dev.dataevents.model.RejectionReason.MISSING_IDENTIFIER;
import static dev.dataevents.model.RejectionReason.NOT_AN_OBJECT;
import static dev.dataevents.validation.EventValidationTest.MAX_FUTURE;
import static dev.dataevents.validation.EventValidationTest.REFERENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.validation.EventValidationTest.Line;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Imported summaries" of the contract (docs/contract.md): {@code RecordValidator.summaryImport}.
 */
class SummaryImportValidationTest {
  private final RecordValidator validator = new RecordValidator(EventValidationTest.SETTINGS);

  // ---------------------------------------------------------------- helpers

  static String q(String s) {
    return EventValidationTest.q(s);
  }

  /** One summary element from raw JSON values; a null argument leaves that field out. */
  static String summary(String eventName, String count, String first, String last) {
    Line element = new Line();
    if (eventName != null) {
      element.set("event_name", eventName);
    }
    if (count != null) {
      element.set("count", count);
    }
    if (first != null) {
      element.set("first", first);
    }
    if (last != null) {
      element.set("last", last);
    }
    return element.json();
  }

  static String goodSummary() {
    return summary(q("invited-friend"), "1", "1671028894", "1671028894");
  }

  /** A valid line of imported summaries with the given raw {@code event_summaries}. */
  static Line line(String eventSummaries) {
    return new Line()
        .set("workspace_id", q("ws_1"))
        .set("user_id", q("314159"))
        .set("event_summaries", eventSummaries);
  }

  ContactRecord accept(String line) {
    try {
      return validator.summaryImport(line, 9L, null, line);
    } catch (RecordRejectedException e) {
      return fail("expected %s to be accepted, was rejected %s (%s)", line, e.reason(), e);
    }
  }

  void assertRejected(String line, RejectionReason reason, String field) {
    try {
      ContactRecord record = validator.summaryImport(line, 9L, null, null);
      fail("expected %s to be rejected, was accepted as %s", line, record);
    } catch (RecordRejectedException e) {
      assertThat(e.reason()).as("reason for %s (%s)", line, e.getMessage()).isEqualTo(reason);
      assertThat(e.field()).as("field for %s", line).isEqualTo(field);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  // ---------------------------------------------------------------- accepted

  @Test
  void acceptsTheExampleOfTheContract() {
    String line =
        "{\"workspace_id\":\"ws_1\",\"user_id\":\"314159\",\"event_summaries\":{\"event_name\":"
            + "\"invited-friend\",\"count\":1,\"first\":1671028894,\"last\":1671028894}}";

    ContactRecord record = accept(line);

    assertThat(record.summaryImport()).isTrue();
    assertThat(record.workspaceId()).isEqualTo("ws_1");
    assertThat(record.contactKey()).isEqualTo("user_id:314159");
    assertThat(record.position()).isEqualTo(9L);
    assertThat(record.userId()).isEqualTo("314159");
    assertThat(record.id()).isNull();
    assertThat(record.email()).isNull();
    assertThat(record.summaryNames()).containsExactly("invited-friend");
    assertThat(record.summaryCounts()).containsExactly(1L);
    assertThat(record.summaryFirsts()).containsExactly(1671028894L);
    assertThat(record.summaryLasts()).containsExactly(1671028894L);
    assertThat(record.eventName()).isNull();
    assertThat(record.metadataJson()).isNull();
    assertThat(record.raw()).isEqualTo(line);
  }

  @Test
  void aCountBeyond64BitsIsAnIntegerOfAtLeastOneAndSaturates() {
    // The contract rejects a count that is not an integer >= 1; a larger one is kept at 2^63-1,
    // where merged counts saturate too.
    ContactRecord record = accept(line(summary(q("a"), "99999999999999999999", "1", "1")).json());
    assertThat(record.summaryCounts()).containsExactly(Long.MAX_VALUE);
  }

  @Test
  void acceptsANonEmptyArrayAndNormalisesNames() {
    String summaries =
        "["
            + summary(q("  Invited.Friend "), "3", "1600000000", "1671028894")
            + ","
            + summary(q("PLACED$ORDER"), "5000000000", "1389913941", "1389913941")
            + ","
            + summary(q("x"), "1", "1", Long.toString(REFERENCE + MAX_FUTURE))
            + "]";

    ContactRecord record = accept(line(summaries).json());

    assertThat(record.summaryNames()).containsExactly("invited-friend", "placed-order", "x");
    assertThat(record.summaryCounts()).containsExactly(3L, 5_000_000_000L, 1L);
    assertThat(record.summaryFirsts()).containsExactly(1600000000L, 1389913941L, 1L);
    assertThat(record.summaryLasts())
        .containsExactly(1671028894L, 1389913941L, REFERENCE + MAX_FUTURE);
  }

  @Test
  void anArrayOfOneIsAccepted() {
    ContactRecord record = accept(line("[" + goodSummary() + "]").json());
    assertThat(record.summaryNames()).containsExactly("invited-friend");
  }

  @Test
  void workspaceDefaultsAndIdentifiersFollowTheEventRules() {
    ContactRecord record =
        accept(
            line(goodSummary())
                .set("workspace_id", "null")
                .without("user_id")
                .set("email", q("Jane@Example.org"))
                .json());

    assertThat(record.workspaceId()).isEqualTo("default");
    assertThat(record.contactKey()).isEqualTo("email:jane@example.org");
    assertThat(record.email()).isEqualTo("Jane@Example.org");
  }

  @Test
  void anIntegerUserIdIsTakenAsItsDecimalString() {
    ContactRecord record = accept(line(goodSummary()).set("user_id", "314159").json());
    assertThat(record.userId()).isEqualTo("314159");
    assertThat(record.contactKey()).isEqualTo("user_id:314159");
  }

  @Test
  void eventFieldsAreNotChecked() {
    ContactRecord record =
        accept(
            line(goodSummary())
                .set("event_name", "42")
                .set("created_at", q("yesterday"))
                .set("metadata", "[]")
                .json());
    assertThat(record.summaryNames()).containsExactly("invited-friend");
  }

  @Test
  void extraFieldsInAnElementAreIgnored() {
    String element = goodSummary().replace("}", ",\"description\":null,\"extra\":[1]}");
    assertThat(accept(line(element).json()).summaryCounts()).containsExactly(1L);
  }

  // ---------------------------------------------------------------- the shape of event_summaries

  static Stream<Arguments> badShapes() {
    return Stream.of(
        arguments("empty array", line("[]")),
        arguments("missing", line(goodSummary()).without("event_summaries")),
        arguments("null", line("null")),
        arguments("string", line(q("invited-friend"))),
        arguments("number", line("1")),
        arguments("boolean", line("true")),
        arguments("array of a string", line("[\"invited-friend\"]")),
        arguments("array with a null", line("[" + goodSummary() + ",null]")),
        arguments("array with an array", line("[" + goodSummary() + ",[]]")),
        arguments("empty object", line("{}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badShapes")
  void rejectsBadShapes(String label, Line line) {
    assertRejected(line.json(), INVALID_EVENT_SUMMARIES, "event_summaries");
  }

  // ---------------------------------------------------------------- element rules

  static Stream<Arguments> badElements() {
    String ok = "1671028894";
    String ms = "1671028894000";
    String future = Long.toString(REFERENCE + MAX_FUTURE + 1);
    return Stream.of(
        arguments("event_name missing", summary(null, "1", ok, ok)),
        arguments("event_name null", summary("null", "1", ok, ok)),
        arguments("event_name empty", summary(q(""), "1", ok, ok)),
        arguments("event_name blank", summary(q("   "), "1", ok, ok)),
        arguments("event_name integer", summary("42", "1", ok, ok)),
        arguments("event_name 256 characters", summary(q("a".repeat(256)), "1", ok, ok)),
        arguments("count 0", summary(q("a"), "0", ok, ok)),
        arguments("count negative", summary(q("a"), "-1", ok, ok)),
        arguments(
            "count negative beyond 64 bits", summary(q("a"), "-99999999999999999999", ok, ok)),
        arguments("count float", summary(q("a"), "1.5", ok, ok)),
        arguments("count float with zero fraction", summary(q("a"), "2.0", ok, ok)),
        arguments("count string", summary(q("a"), q("1"), ok, ok)),
        arguments("count missing", summary(q("a"), null, ok, ok)),
        arguments("count null", summary(q("a"), "null", ok, ok)),
        arguments("first missing", summary(q("a"), "1", null, ok)),
        arguments("first null", summary(q("a"), "1", "null", ok)),
        arguments("first string", summary(q("a"), "1", q(ok), ok)),
        arguments("first float", summary(q("a"), "1", "1671028894.0", ok)),
        arguments("first zero", summary(q("a"), "1", "0", ok)),
        arguments("first negative", summary(q("a"), "1", "-1", ok)),
        arguments("first milliseconds", summary(q("a"), "1", ms, ms)),
        arguments("first in the future", summary(q("a"), "1", future, future)),
        arguments("last missing", summary(q("a"), "1", ok, null)),
        arguments("last string", summary(q("a"), "1", ok, q(ok))),
        arguments("last float", summary(q("a"), "1", ok, "1.5")),
        arguments("last zero", summary(q("a"), "1", ok, "0")),
        arguments("last milliseconds", summary(q("a"), "1", ok, ms)),
        arguments("last in the future", summary(q("a"), "1", ok, future)),
        arguments("last beyond long", summary(q("a"), "1", ok, "123456789012345678901234567890")),
        arguments("first after last", summary(q("a"), "1", "1671028895", ok)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badElements")
  void rejectsABadElementAsAnObject(String label, String element) {
    assertRejected(line(element).json(), INVALID_EVENT_SUMMARIES, "event_summaries");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badElements")
  void rejectsABadElementAnywhereInAnArray(String label, String element) {
    String summaries = "[" + goodSummary() + "," + element + "," + goodSummary() + "]";
    assertRejected(line(summaries).json(), INVALID_EVENT_SUMMARIES, "event_summaries");
  }

  // ---------------------------------------------------------------- order of the rules

  static Stream<Arguments> firstBrokenRuleWins() {
    return Stream.of(
        arguments("invalid JSON", line("[]").json() + "}", INVALID_JSON, null),
        arguments(
            "duplicate key",
            line(goodSummary()).json().replace("}}", "},\"user_id\":\"2\"}"),
            INVALID_JSON,
            null),
        arguments("an array line", "[" + line(goodSummary()).json() + "]", NOT_AN_OBJECT, null),
        arguments(
            "bad workspace + missing identifier + bad summaries",
            line("[]").set("workspace_id", q("w s")).without("user_id").json(),
            INVALID_WORKSPACE_ID,
            "workspace_id"),
        arguments(
            "missing identifier + bad summaries",
            line("[]").without("user_id").json(),
            MISSING_IDENTIFIER,
            null),
        arguments(
            "missing identifier + missing summaries",
            "{\"workspace_id\":\"ws_1\"}",
            MISSING_IDENTIFIER,
            null),
        arguments(
            "invalid identifier + bad summaries",
            line(summary(q("a"), "0", "0", "0")).set("user_id", "1.5").json(),
            INVALID_IDENTIFIER,
            "user_id"),
        arguments(
            "invalid email + bad summaries",
            line("[]").without("user_id").set("email", q("nobody")).json(),
            INVALID_IDENTIFIER,
            "email"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("firstBrokenRuleWins")
  void rejectsForTheFirstBrokenRule(
      String label, String line, RejectionReason reason, String field) {
    assertRejected(line, reason, field);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[]", "\"x\"", "42", "null"})
  void linesThatAreNotObjectsAreRejectedSo(String line) {
    assertRejected(line, NOT_AN_OBJECT, null);
  }
}
