package dev.dataevents.validation;

import static dev.dataevents.validation.TokenAuthenticatorTest.OTHER;
import static dev.dataevents.validation.TokenAuthenticatorTest.READER;
import static dev.dataevents.validation.TokenAuthenticatorTest.SECRET;
import static dev.dataevents.validation.TokenAuthenticatorTest.TOKENS;
import static dev.dataevents.validation.TokenAuthenticatorTest.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.SourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What leaves the parser of an {@code --auth} stream: every record and rejection carries the line
 * only with its token redacted, whatever the escaping of the key or the type of the value, and no
 * message quotes the token.
 */
class RecordParserAuthTest {
  private static final long NOW = System.currentTimeMillis() / 1000;

  /** An event that is valid now in workspace ws_1. */
  static final String EVENT =
      "{\"workspace_id\":\"ws_1\",\"event_name\":\"placed-order\",\"created_at\":"
          + (NOW - 60)
          + ",\"user_id\":\"314159\"}";

  private OneInputStreamOperatorTestHarness<RawLine, ContactRecord> harness;
  private long lineNumber;

  @BeforeEach
  void open() throws Exception {
    ValidationSettings settings =
        new ValidationSettings("default", ValidationSettings.PROCESSING_TIME, 86_400, 10);
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new RecordParser(settings, true, TokenAuthenticator.of(TOKENS))));
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(String text) throws Exception {
    send(text, false);
  }

  private void send(String text, boolean tooLong) throws Exception {
    lineNumber++;
    String kept = tooLong ? text.substring(0, 1024) : text;
    harness.processElement(
        new StreamRecord<>(
            new RawLine(0, "in.jsonl", SourceKind.EVENTS, lineNumber, kept, tooLong, 1)));
  }

  private List<ContactRecord> records() {
    return harness.extractOutputValues();
  }

  private List<Rejection> rejections() {
    var queue = harness.getSideOutput(RecordParser.REJECTED);
    return queue == null
        ? List.of()
        : queue.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  /** Every text the parser let out: raw lines of records and rejections, messages, fields. */
  private List<String> everythingShown() {
    List<String> shown = new ArrayList<>();
    for (ContactRecord r : records()) {
      shown.add(r.raw());
      shown.add(r.metadataJson());
      shown.add(r.userId());
      shown.add(r.eventName());
      shown.add(r.workspaceId());
      shown.add(r.contactKey());
      shown.add(r.id());
      shown.add(r.email());
      if (r.summaryNames() != null) {
        shown.addAll(List.of(r.summaryNames()));
      }
    }
    for (Rejection r : rejections()) {
      shown.add(r.raw());
      shown.add(r.message());
      shown.add(r.field());
    }
    shown.removeIf(s -> s == null);
    return shown;
  }

  private Map<Long, String> reasonsByLine() {
    Map<Long, String> reasons = new TreeMap<>();
    rejections().forEach(r -> reasons.put(r.line(), r.reason() + " " + r.field()));
    return reasons;
  }

  private void assertNothingShowsASecret() {
    assertThat(everythingShown())
        .isNotEmpty()
        .allSatisfy(
            s ->
                assertThat(s)
                    .doesNotContain(SECRET)
                    .doesNotContain(WRITER)
                    .doesNotContain(READER)
                    .doesNotContain(OTHER));
  }

  @Test
  void anEscapedKeyAuthenticatesAndItsTokenIsRedactedFromTheKeptLine() throws Exception {
    send("{\"access\\u005ftoken\":\"" + WRITER + "\",\"event\":" + EVENT + "}");

    assertThat(rejections()).isEmpty();
    assertThat(records()).singleElement().extracting(ContactRecord::raw).isNotNull();
    assertNothingShowsASecret();
  }

  @Test
  void theKeptLineIsTheRedactedOneAsValidJson() throws Exception {
    send("{\"access\\u005ftoken\":\"" + WRITER + "\",\"event\":" + EVENT + "}");

    assertThat(records())
        .singleElement()
        .extracting(ContactRecord::raw)
        .isEqualTo("{\"access\\u005ftoken\":\"[redacted]\",\"event\":" + EVENT + "}");
  }

  @Test
  void notAnObjectNamesNoField() throws Exception {
    send("{\"access_token\":\"" + WRITER + "\"}");
    send("{\"access_token\":\"" + WRITER + "\",\"event\":[" + EVENT + "]}");
    send("[{\"access_token\":\"" + WRITER + "\",\"event\":" + EVENT + "}]");

    assertThat(reasonsByLine())
        .containsExactly(
            Map.entry(1L, "not_an_object null"),
            Map.entry(2L, "not_an_object null"),
            Map.entry(3L, "not_an_object null"));
    assertNothingShowsASecret();
  }

  @Test
  void anEventCarryingATokenIsForbiddenAndNotWrittenOut() throws Exception {
    String copy = EVENT.replace("}", ",\"metadata\":{\"note\":\"" + WRITER + "\"}}");
    String key = EVENT.replace("}", ",\"metadata\":{\"access_token\":\"other\"}}");
    send("{\"access_token\":\"" + WRITER + "\",\"event\":" + copy + "}");
    send("{\"access_token\":\"" + WRITER + "\",\"event\":" + key + "}");

    assertThat(records()).isEmpty();
    assertThat(reasonsByLine())
        .containsExactly(Map.entry(1L, "forbidden event"), Map.entry(2L, "forbidden event"));
    assertThat(rejections())
        .extracting(Rejection::raw)
        .containsExactly(
            "{\"access_token\":\"[redacted]\",\"event\":\"[redacted]\"}",
            "{\"access_token\":\"[redacted]\",\"event\":"
                + key.replace("\"other\"", "\"[redacted]\"")
                + "}");
  }

  /**
   * The event as sent carries no token, but the record written out would: the event name is
   * lower-cased with '.' turned into '-', an email is lower-cased for the contact's key.
   */
  @Test
  void anEventWhoseNormalisedFieldsWouldSpellTheTokenIsForbidden() throws Exception {
    String upper = WRITER.toUpperCase(java.util.Locale.ROOT);
    send(
        "{\"access_token\":\""
            + WRITER
            + "\",\"event\":"
            + EVENT.replace("placed-order", upper.replace('-', '.'))
            + "}");
    send(
        "{\"access_token\":\""
            + WRITER
            + "\",\"event\":"
            + EVENT.replace("\"user_id\":\"314159\"", "\"email\":\"" + upper + "@EXAMPLE.ORG\"")
            + "}");

    assertThat(records()).isEmpty();
    assertThat(reasonsByLine())
        .containsExactly(Map.entry(1L, "forbidden event"), Map.entry(2L, "forbidden event"));
    assertNothingShowsASecret();
  }

  /**
   * A known token is cut out of every line it stands in as a word of its own (between quotes, white
   * space or JSON punctuation), wherever it stands, whether the line parses or not: before an
   * access_token key the parser never reached, alone on a line of pretty-printed JSON, under
   * another key, in a line cut at --max-line-bytes.
   */
  @Test
  void aKnownTokenIsCutFromEveryLineWhereverItStands() throws Exception {
    send("{\"event\": " + WRITER + ", \"access_token\":\"" + WRITER + "\"}");
    send("  \"" + WRITER + "\",");
    send("{\"accessToken\":\"" + WRITER + "\",\"event\":" + EVENT + "}");
    send("{\"access_token \":\"" + READER + "\",\"event\":" + EVENT + "}");
    send("{\"token\":\"" + OTHER + "\",\"event\":{}}");
    send("[\"" + WRITER + "\",{\"access_token\":\"" + WRITER + "\"}]");
    send(
        "{\"event\":"
            + EVENT.replace("}", ",\"metadata\":{\"note\":\"" + WRITER + "\",\"pad\":\"")
            + "x".repeat(1500)
            + "\"}}},\"access_token\":\""
            + WRITER
            + "\"}",
        true);
    send("{\"event\":{\"note\":\"my token is " + WRITER + ".\"}}");
    send("{\"event\":{\"link\":\"https://example.org/cb?access_token=" + WRITER + "&x=1\"}}");
    send("{\"event\":{\"link\":\"https://" + READER + "@example.org/" + OTHER + "\"}}");
    // Percent-encoded in a link, as a query string writes it: an escaping like any other (a stray
    // '%' elsewhere in the link does not stop the others being decoded).
    send(
        "{\"access_token\":\""
            + WRITER
            + "\",\"event\":"
            + EVENT.replace(
                "}",
                ",\"metadata\":{\"cb\":\"https://ex.org/cb?p=5%&t="
                    + WRITER.replace("-", "%2D").replace("_", "%5F")
                    + "&x=1\"}}")
            + "}");

    assertThat(records()).isEmpty();
    assertThat(rejections()).hasSize(11);
    assertThat(reasonsByLine()).containsEntry(11L, "forbidden event");
    assertNothingShowsASecret();
  }

  /**
   * Another known token that the event carries as written, in any field, key or escaping, is
   * forbidden before any rule reads the event: a metadata key that is a token came back in a
   * rejection's field, an event name with capitals was lower-cased past the check, a string was cut
   * in the middle of a token, an escaped token stayed in the shown line. A line cut at
   * --max-line-bytes in the middle of a token shows no part of it.
   */
  @Test
  void anotherKnownTokenAsWrittenIsForbiddenAndShownNowhere() throws Exception {
    String mixed = SECRET + "-Mixed_Case-ws_1";
    harness.close();
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(
                new RecordParser(
                    new ValidationSettings(
                        "default", ValidationSettings.PROCESSING_TIME, 86_400, 10),
                    true,
                    TokenAuthenticator.of(
                        TOKENS.substring(0, TOKENS.length() - 2)
                            + ","
                            + TokenAuthenticatorTest.entry(
                                TokenAuthenticatorTest.sha256(mixed), "ws_1", "\"write_events\"")
                            + "]}"))));
    harness.open();
    String wrapped = "{\"access_token\":\"" + WRITER + "\",\"event\":";
    String withMetadata = EVENT.replace("}", ",\"metadata\":%s}");
    send(wrapped + withMetadata.formatted("{\"" + OTHER + "\":true}") + "}");
    send(wrapped + withMetadata.formatted("{\"bad " + OTHER + "\":[1]}") + "}");
    send(wrapped + EVENT.replace("placed-order", mixed) + "}");
    send(
        wrapped
            + withMetadata.formatted("{\"s\":\"" + "x".repeat(239) + " " + OTHER + " tail\"}")
            + "}");
    send(
        wrapped
            + withMetadata.formatted("{\"k\":\"" + OTHER.replace("-", "\\u002d") + "\"}")
            + "}");
    String longLine = "{\"x\":\"" + "q".repeat(1003) + "\",\"y\":\"" + OTHER + "\"}";
    send(longLine + " ".repeat(100), true);

    assertThat(records()).isEmpty();
    assertThat(reasonsByLine())
        .containsEntry(1L, "forbidden event")
        .containsEntry(2L, "forbidden event")
        .containsEntry(3L, "forbidden event")
        .containsEntry(4L, "forbidden event")
        .containsEntry(5L, "forbidden event")
        .containsEntry(6L, "line_too_long null");
    assertNothingShowsASecret();
  }

  @Test
  void laterRulesStillApplyToTheEventAsRead() throws Exception {
    send(
        "{\"access_token\":\""
            + WRITER
            + "\",\"event\":"
            + EVENT.replace("placed-order", "")
            + "}");
    send(
        "{\"access_token\":\""
            + WRITER
            + "\",\"event\":"
            + EVENT.replace("}", ",\"metadata\":{\"big\":1e400}}")
            + "}");

    assertThat(reasonsByLine())
        .containsExactly(
            Map.entry(1L, "invalid_event_name event_name"),
            Map.entry(2L, "invalid_metadata_value metadata.big"));
  }

  @Test
  void anArrayValueIsRedacted() throws Exception {
    send("{\"access_token\":[\"" + WRITER + "\"],\"event\":" + EVENT + "}");

    assertThat(reasonsByLine()).containsExactly(Map.entry(1L, "unauthorized access_token"));
    assertNothingShowsASecret();
  }

  @Test
  void everyHostileLineIsRedactedWhereverItGoes() throws Exception {
    String hugeToken = SECRET + "x".repeat(1 << 20);
    List<String> lines =
        List.of(
            // the key escaped in various ways
            "{\"access\\u005ftoken\":\"" + WRITER + "\",\"event\":{\"workspace_id\":\"ws_2\"}}",
            "{\"\\u0061ccess_token\":\"" + SECRET + "-unknown\",\"event\":" + EVENT + "}",
            "{\"access\\u005Ftoken\" : [\"" + READER + "\", 1],\"event\":" + EVENT + "}",
            // every JSON type of value
            "{\"access_token\":{\"t\":\"" + WRITER + "\"},\"event\":" + EVENT + "}",
            "{\"access_token\":[[\"" + WRITER + "\"]],\"event\":" + EVENT + "}",
            "{\"access_token\":12345" + SECRET.length() + "0,\"event\":" + EVENT + "}",
            // duplicate keys, the second escaped
            "{\"access_token\":\"" + WRITER + "\",\"access\\u005ftoken\":\"" + READER + "\"}",
            "{\"access_token\":\"x\",\"access\\u005ftoken\":\"" + WRITER + "\",\"event\":{}}",
            // a copy of the token inside the event
            "{\"access_token\":\""
                + WRITER
                + "\",\"event\":{\"metadata\":{\"access_token\":\""
                + READER
                + "\"}}}",
            "{\"event\":{\"note\":\""
                + OTHER
                + "\",\"user_id\":\"u\"},\"access_token\":\""
                + OTHER
                + "\"}",
            // invalid JSON at, before and after the token
            "{\"access\\u005ftoken\":\"" + WRITER,
            "{\"access\\u005ftoken\":" + SECRET + "_bare,\"event\":{}}",
            "{\"event\":tru,\"access\\u005ftoken\":\"" + WRITER + "\"}",
            "{\"access_token\":\"" + WRITER + "\",\"event\":{\"a\":1,\"a\":2}}",
            "{\"access_token\":\"" + WRITER + "\",\"event\":" + EVENT + "}}",
            "\uFFFD{\"access_token\":\"" + WRITER + "\uFFFD\",\"event\":" + EVENT + "}",
            "{\"access_token\":\"" + WRITER + "\uFFFD\"\uFFFD,\"event\":" + EVENT + "}",
            // unquoted key
            "{access_token:\"" + WRITER + "\"}",
            // huge token
            "{\"access\\u005ftoken\":\"" + hugeToken + "\",\"event\":" + EVENT + "}");
    for (String line : lines) {
      send(line);
    }
    send("{\"access\\u005ftoken\":\"" + WRITER + "\",\"event\":" + "x".repeat(2000) + "}", true);

    assertThat(rejections()).hasSize(lines.size() + 1);
    assertNothingShowsASecret();
    assertThat(everythingShown()).allSatisfy(s -> assertThat(s).doesNotContain("x".repeat(1000)));
  }
}
