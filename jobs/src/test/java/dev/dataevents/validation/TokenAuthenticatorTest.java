package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.FORBIDDEN;
import static dev.dataevents.model.RejectionReason.INVALID_JSON;
import static dev.dataevents.model.RejectionReason.NOT_AN_OBJECT;
import static dev.dataevents.model.RejectionReason.UNAUTHORIZED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.dataevents.json.Json;
import dev.dataevents.model.RejectionReason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code --auth} rules of the contract (docs/contract.md): tokens file, 401/403 rules and
 * redaction.
 */
class TokenAuthenticatorTest {
  /** Every secret starts with this, so one assertion catches a leak of any of them. */
  static final String SECRET = "s3cr3t";

  static final String WRITER = SECRET + "-writer-ws_1";
  static final String READER = SECRET + "-reader-ws_1";
  static final String OTHER = SECRET + "-writer-ws_2";
  static final String UNKNOWN = SECRET + "-nobody";

  static final String EVENT =
      "{\"workspace_id\":\"ws_1\",\"event_name\":\"placed-order\",\"created_at\":1389913941,"
          + "\"user_id\":\"314159\",\"metadata\":{\"zeta\":1,\"alpha\":2}}";

  static final String TOKENS =
      "{\"tokens\":["
          + entry(sha256(WRITER), "ws_1", "\"write_events\"")
          + ","
          + entry(sha256(READER), "ws_1", "\"read_events\"")
          + ","
          + entry(sha256(OTHER).toUpperCase(Locale.ROOT), "ws_2", "\"write_events\",\"other\"")
          + "]}";

  private final TokenAuthenticator auth = TokenAuthenticator.of(TOKENS);

  // ---------------------------------------------------------------- helpers

  static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String entry(String sha256, String workspace, String scopes) {
    return "{\"sha256\":\""
        + sha256
        + "\",\"workspace_id\":\""
        + workspace
        + "\",\"scopes\":["
        + scopes
        + "]}";
  }

  static String line(String token, String event) {
    return "{\"access_token\":\"" + token + "\",\"event\":" + event + "}";
  }

  private RecordRejectedException rejection(String line, String defaultWorkspace) {
    RecordRejectedException e =
        catchThrowableOfType(
            RecordRejectedException.class, () -> auth.check(line, defaultWorkspace).event());
    assertThat(e).as("rejection of %s", line).isNotNull();
    return e;
  }

  // ---------------------------------------------------------------- the digest itself

  @Test
  void testDigestMatchesTheKnownSha256OfAbc() {
    assertThat(sha256("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  // ---------------------------------------------------------------- accepted

  @Test
  void validTokenInItsWorkspaceReturnsTheEventWithKeyOrder() throws Exception {
    JsonNode event = auth.check(line(WRITER, EVENT), "default").event();

    assertThat(event).isEqualTo(InputJson.parse(EVENT));
    List<String> keys = new ArrayList<>();
    event.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly("workspace_id", "event_name", "created_at", "user_id", "metadata");
    List<String> metadataKeys = new ArrayList<>();
    event.get("metadata").fieldNames().forEachRemaining(metadataKeys::add);
    assertThat(metadataKeys).containsExactly("zeta", "alpha");
  }

  @Test
  void eventBeforeTheTokenAndWhitespaceAreFine() throws Exception {
    String event = "{ \"b\" : 1 ,\n \"a\" : [1, 2], \"workspace_id\" : \"ws_1\" }";
    String line = " {\"event\" : " + event + " , \"access_token\" :\t\"" + WRITER + "\" } ";

    JsonNode result = auth.check(line, "default").event();

    assertThat(result).isEqualTo(InputJson.parse(event));
    List<String> keys = new ArrayList<>();
    result.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("b", "a", "workspace_id");
  }

  @Test
  void numbersReachTheEventValidationAsSent() throws Exception {
    // Re-serializing the tree would turn 1e400 into the string "Infinity" (a valid String).
    String event =
        "{\"workspace_id\":\"ws_1\",\"metadata\":{\"big\":1e400,\"price\":1.50,"
            + "\"huge\":1"
            + "0".repeat(5000)
            + "}}";

    JsonNode result = auth.check(line(WRITER, event), "default").event();

    assertThat(result).isEqualTo(InputJson.parse(event));
    assertThat(result.get("metadata").get("big").isNumber()).isTrue();
    assertThat(result.get("metadata").get("huge").asText()).isEqualTo("1" + "0".repeat(5000));
  }

  @Test
  void nestingIsLimitedOverTheWholeLineTheWrapperIncluded() throws Exception {
    // The line's object, the event and metadata are three levels; x holds the rest.
    int arrays = Json.MAX_NESTING_DEPTH - 3;
    String event =
        "{\"workspace_id\":\"ws_1\",\"metadata\":{\"x\":"
            + "[".repeat(arrays)
            + "]".repeat(arrays)
            + "}}";
    assertThat(auth.check(line(WRITER, event), "default").event())
        .isEqualTo(InputJson.parse(event));

    String deeper = event.replace("[]", "[[]]");
    RecordRejectedException e = rejection(line(WRITER, deeper), "default");
    assertThat(e.reason()).isEqualTo(INVALID_JSON);
    assertThat(e.getMessage()).contains("nested deeper than 1000");
  }

  @Test
  void eventWithoutWorkspaceUsesTheDefaultWorkspace() throws Exception {
    String event = "{\"event_name\":\"x\"}";

    assertThat(auth.check(line(WRITER, event), "ws_1").event()).isEqualTo(InputJson.parse(event));
    assertThat(auth.check(line(OTHER, event), "ws_2").event()).isEqualTo(InputJson.parse(event));
  }

  @Test
  void nullWorkspaceCountsAsAbsent() throws Exception {
    String event = "{\"workspace_id\":null}";

    assertThat(auth.check(line(WRITER, event), "ws_1").event()).isEqualTo(InputJson.parse(event));
  }

  @Test
  void workspaceThatIsNoStringIsLeftToTheEventValidation() throws Exception {
    for (String value : List.of("42", "{}", "[\"ws_1\"]", "true")) {
      String event = "{\"workspace_id\":" + value + "}";
      assertThat(auth.check(line(WRITER, event), "default").event())
          .isEqualTo(InputJson.parse(event));
    }
  }

  @Test
  void upperCaseSha256InTheTokensFileIsAccepted() throws Exception {
    String event = "{\"workspace_id\":\"ws_2\"}";

    assertThat(auth.check(line(OTHER, event), "default").event()).isEqualTo(InputJson.parse(event));
  }

  @Test
  void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(auth);
    }
    TokenAuthenticator copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TokenAuthenticator) in.readObject();
    }

    assertThat(copy.check(line(WRITER, EVENT), "default").event())
        .isEqualTo(InputJson.parse(EVENT));
    assertThat(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
  }

  // ---------------------------------------------------------------- rejected

  static Stream<Arguments> rejectedLines() {
    String ws1 = "{\"workspace_id\":\"ws_1\"}";
    return Stream.of(
        // 401: no or unknown token
        arguments("{\"event\":" + ws1 + "}", "ws_1", UNAUTHORIZED, "access_token"),
        arguments(
            "{\"access_token\":null,\"event\":" + ws1 + "}", "ws_1", UNAUTHORIZED, "access_token"),
        arguments(
            "{\"access_token\":12345,\"event\":" + ws1 + "}", "ws_1", UNAUTHORIZED, "access_token"),
        arguments(
            "{\"access_token\":[\"" + WRITER + "\"],\"event\":" + ws1 + "}",
            "ws_1",
            UNAUTHORIZED,
            "access_token"),
        arguments(line("", ws1), "ws_1", UNAUTHORIZED, "access_token"),
        arguments(line(UNKNOWN, ws1), "ws_1", UNAUTHORIZED, "access_token"),
        arguments(line(WRITER + " ", ws1), "ws_1", UNAUTHORIZED, "access_token"),
        arguments(line(WRITER.toUpperCase(Locale.ROOT), ws1), "ws_1", UNAUTHORIZED, "access_token"),
        // The hash of the token is no token.
        arguments(line(sha256(WRITER), ws1), "ws_1", UNAUTHORIZED, "access_token"),
        // An unpaired surrogate must not pass for the '?' that UTF-8 encoding makes of it.
        arguments(line(SECRET + "\\ud800", ws1), "ws_1", UNAUTHORIZED, "access_token"),
        // 401 comes before the event is looked at.
        arguments(line(UNKNOWN, "[]"), "ws_1", UNAUTHORIZED, "access_token"),
        // 403: no write_events scope, before the event is looked at
        arguments(line(READER, ws1), "ws_1", FORBIDDEN, "access_token"),
        arguments("{\"access_token\":\"" + READER + "\"}", "ws_1", FORBIDDEN, "access_token"),
        // 403: another workspace, named or by default
        arguments(line(WRITER, "{\"workspace_id\":\"ws_2\"}"), "ws_1", FORBIDDEN, "workspace_id"),
        arguments(line(OTHER, ws1), "ws_1", FORBIDDEN, "workspace_id"),
        arguments(line(WRITER, "{\"workspace_id\":\"WS_1\"}"), "ws_1", FORBIDDEN, "workspace_id"),
        arguments(line(WRITER, "{\"event_name\":\"x\"}"), "default", FORBIDDEN, "workspace_id"),
        arguments(line(WRITER, "{\"workspace_id\":null}"), "ws_2", FORBIDDEN, "workspace_id"),
        arguments(
            line(WRITER, "{\"workspace_id\":\"" + WRITER + "\"}"),
            "ws_1",
            FORBIDDEN,
            "workspace_id"),
        // the event itself: not_an_object names no field (the contract)
        arguments("{\"access_token\":\"" + WRITER + "\"}", "ws_1", NOT_AN_OBJECT, null),
        arguments(line(WRITER, "null"), "ws_1", NOT_AN_OBJECT, null),
        arguments(line(WRITER, "[" + ws1 + "]"), "ws_1", NOT_AN_OBJECT, null),
        arguments(line(WRITER, "\"" + WRITER + "\""), "ws_1", NOT_AN_OBJECT, null),
        // an event that carries a token would write it out when accepted
        arguments(
            line(WRITER, "{\"workspace_id\":\"ws_1\",\"metadata\":{\"note\":\"" + WRITER + "\"}}"),
            "ws_1",
            FORBIDDEN,
            "event"),
        arguments(
            line(
                WRITER,
                "{\"workspace_id\":\"ws_1\",\"n\":\"x\\u0073" + WRITER.substring(1) + "\"}"),
            "ws_1",
            FORBIDDEN,
            "event"),
        arguments(
            line(WRITER, "{\"workspace_id\":\"ws_1\",\"" + WRITER + "\":1}"),
            "ws_1",
            FORBIDDEN,
            "event"),
        arguments(
            line(WRITER, "{\"workspace_id\":\"ws_1\",\"metadata\":{\"Access_Token\":\"x\"}}"),
            "ws_1",
            FORBIDDEN,
            "event"),
        // the line
        arguments("[" + line(WRITER, ws1) + "]", "ws_1", NOT_AN_OBJECT, null),
        arguments("\"" + WRITER + "\"", "ws_1", NOT_AN_OBJECT, null),
        arguments("{\"access_token\":\"" + WRITER, "ws_1", INVALID_JSON, null),
        arguments("{\"access_token\":\"" + WRITER + "\\", "ws_1", INVALID_JSON, null),
        arguments(line(WRITER, ws1) + "}", "ws_1", INVALID_JSON, null),
        arguments(line(WRITER, "{\"a\":1,\"a\":2}"), "ws_1", INVALID_JSON, null),
        arguments(
            "{\"access_token\":\"" + WRITER + "\",\"access_token\":\"x\"}",
            "ws_1",
            INVALID_JSON,
            null),
        // Jackson quotes an unquoted word it cannot read; here that word is the token.
        arguments(
            "{\"access_token\":" + WRITER.replace('-', '_') + ",\"event\":{}}",
            "ws_1",
            INVALID_JSON,
            null),
        arguments("{\"access_token\":" + SECRET + "123}", "ws_1", INVALID_JSON, null),
        arguments("{\"access_token\":\"ab\"" + SECRET + "\"}", "ws_1", INVALID_JSON, null),
        arguments("{\"access_token\":\"" + SECRET + "\t\"}", "ws_1", INVALID_JSON, null));
  }

  @ParameterizedTest
  @MethodSource("rejectedLines")
  void rejectsWithReasonAndFieldAndNeverShowsTheToken(
      String line, String defaultWorkspace, RejectionReason reason, String field) {
    RecordRejectedException e = rejection(line, defaultWorkspace);

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).isNotBlank().doesNotContain(SECRET).doesNotContain("\n");
  }

  @Test
  void invalidJsonIsTheRejectionOfJsonParse() throws Exception {
    String line = "{\"access_token\":\"" + WRITER + "\",\"event\":{}";
    RecordRejectedException expected =
        catchThrowableOfType(RecordRejectedException.class, () -> InputJson.parse(line));

    RecordRejectedException e = rejection(line, "ws_1");

    assertThat(e.reason()).isEqualTo(INVALID_JSON);
    assertThat(e.getMessage()).isEqualTo(expected.getMessage());
  }

  @Test
  void unquotedTokenIsNotEchoedButTheRestOfTheMessageIs() {
    RecordRejectedException e = rejection("{\"access_token\":" + SECRET + "42}", "ws_1");

    assertThat(e.getMessage()).startsWith("invalid JSON: Unrecognized token: was expecting");
    assertThat(e.getMessage()).contains("at column");
  }

  @Test
  void noRejectionMessageOfAnyCaseContainsAToken() {
    List<String> messages = new ArrayList<>();
    rejectedLines()
        .forEach(
            a -> {
              Object[] args = a.get();
              messages.add(rejection((String) args[0], (String) args[1]).getMessage());
            });

    assertThat(messages).hasSize((int) rejectedLines().count());
    assertThat(messages)
        .allSatisfy(
            m ->
                assertThat(m)
                    .doesNotContain(SECRET)
                    .doesNotContain(WRITER)
                    .doesNotContain(READER)
                    .doesNotContain(OTHER)
                    .doesNotContain(UNKNOWN));
  }

  // ---------------------------------------------------------------- redact

  private static final String R = "\"[redacted]\"";

  @Test
  void redactsTheTokenOfAValidLine() throws Exception {
    String redacted = TokenAuthenticator.redact(line(WRITER, EVENT));

    assertThat(redacted).isEqualTo("{\"access_token\":\"[redacted]\",\"event\":" + EVENT + "}");
    JsonNode node = InputJson.parse(redacted);
    assertThat(node.get("event")).isEqualTo(InputJson.parse(EVENT));
  }

  @Test
  void redactsWithWhitespaceAroundTheColon() {
    assertThat(TokenAuthenticator.redact("{\"access_token\" : \"" + WRITER + "\" , \"event\":{}}"))
        .isEqualTo("{\"access_token\" : \"[redacted]\" , \"event\":{}}");
    assertThat(TokenAuthenticator.redact("{ \"access_token\"\t:\n\r \"" + WRITER + "\"}"))
        .isEqualTo("{ \"access_token\"\t:\n\r \"[redacted]\"}");
    assertThat(TokenAuthenticator.redact("{\"access_token\":\"" + WRITER + "\"}"))
        .isEqualTo("{\"access_token\":\"[redacted]\"}");
  }

  @Test
  void redactsOverEscapedQuotesAndBackslashes() {
    assertThat(TokenAuthenticator.redact("{\"access_token\" : \"ab\\\"c" + SECRET + "\",\"e\":1}"))
        .isEqualTo("{\"access_token\" : \"[redacted]\",\"e\":1}");
    assertThat(TokenAuthenticator.redact("{\"access_token\":\"" + SECRET + "\\\\\",\"e\":1}"))
        .isEqualTo("{\"access_token\":\"[redacted]\",\"e\":1}");
    assertThat(TokenAuthenticator.redact("{\"access_token\":\"\\u0041" + SECRET + "\\n\"}"))
        .isEqualTo("{\"access_token\":\"[redacted]\"}");
  }

  static Stream<Arguments> valuesOfEveryType() {
    return Stream.of(
        arguments("\"" + WRITER + "\""),
        arguments("[\"" + WRITER + "\"]"),
        arguments("[[\"" + WRITER + "\", 1], {\"t\":\"" + WRITER + "\"}]"),
        arguments("{\"t\":\"" + WRITER + "\"}"),
        arguments("{}"),
        arguments("[]"),
        arguments("12345678901234567890123"),
        arguments("-1.5e300"),
        arguments("true"),
        arguments("false"),
        arguments("\"" + "\\\"a".repeat(500_000) + "\""),
        arguments("[" + "[".repeat(900) + "\"" + WRITER + "\"" + "]".repeat(900) + "]"));
  }

  @ParameterizedTest
  @MethodSource("valuesOfEveryType")
  void redactsTheWholeValueWhateverItsTypeAndTheEscapingOfItsKey(String value) throws Exception {
    for (String key :
        List.of(
            "access_token",
            "access\\u005ftoken",
            "\\u0061\\u0063\\u0063\\u0065\\u0073\\u0073\\u005F\\u0074\\u006f\\u006b\\u0065\\u006e",
            "ACCESS_TOKEN",
            "Access_Token")) {
      String line = "{\"event\":{\"a\":1}, \"" + key + "\" :" + value + " ,\"b\":2}";

      String redacted = TokenAuthenticator.redact(line);

      assertThat(redacted)
          .as(key)
          .isEqualTo("{\"event\":{\"a\":1}, \"" + key + "\" :" + R + " ,\"b\":2}");
      assertThat(InputJson.parse(redacted).size()).isEqualTo(3);
    }
  }

  @Test
  void nullIsNoSecret() {
    String line = "{\"access_token\":null,\"event\":{}}";
    assertThat(TokenAuthenticator.redact(line)).isSameAs(line);
  }

  @Test
  void redactsEveryAccessTokenAtAnyDepth() {
    String line =
        "{\"access_token\":\""
            + SECRET
            + "1\",\"event\":{\"metadata\":{\"access_token\":\""
            + SECRET
            + "2\",\"list\":[{\"Access\\u005fToken\":[\""
            + SECRET
            + "3\"]}]}}}";

    assertThat(TokenAuthenticator.redact(line))
        .isEqualTo(
            "{\"access_token\":"
                + R
                + ",\"event\":{\"metadata\":{\"access_token\":"
                + R
                + ",\"list\":[{\"Access\\u005fToken\":"
                + R
                + "}]}}}");
  }

  @Test
  void aTopLevelMemberCarryingACopyOfTheTokenIsRedactedAsAWhole() {
    String event = "{\"a\":1,\"note\":\"x\\u0073" + WRITER.substring(1) + "y\"}";
    String line =
        "{\"event\":" + event + ",\"" + WRITER + "\":1,\"access_token\":\"" + WRITER + "\"}";

    assertThat(TokenAuthenticator.redact(line))
        .isEqualTo("{\"event\":" + R + "," + R + ":1,\"access_token\":" + R + "}");
  }

  @Test
  void copiesOfTheTokenAsWrittenAreCutFromWhatCannotBeRead() {
    // The token is read; the line breaks later; the copy after the break is cut from the text.
    String line =
        "{\"access_token\":\"" + WRITER + "\",\"event\":{\"a\":1,\"a\":\"" + WRITER + "\"}}";

    assertThat(TokenAuthenticator.redact(line))
        .isEqualTo("{\"access_token\":" + R + ",\"event\":{\"a\":1,\"a\":\"[redacted]\"}}");
  }

  @Test
  void aLineThatIsNoJsonIsRedactedUpToTheErrorByPositionThenByText() {
    // Duplicate keys: the first value by position, then everything after the second key.
    assertThat(
            TokenAuthenticator.redact(
                "{\"access_token\":\""
                    + WRITER
                    + "\",\"e\":1,\"access\\u005Ftoken\":\""
                    + READER
                    + "\",\"event\":{}}"))
        .isEqualTo("{\"access_token\":" + R + ",\"e\":1,\"access\\u005Ftoken[redacted]");
    // A break before the token: everything after anything that looks like its key.
    assertThat(TokenAuthenticator.redact("{\"event\":tru,\"access_token\":\"" + WRITER + "\"}"))
        .isEqualTo("{\"event\":tru,\"access_token[redacted]");
    assertThat(TokenAuthenticator.redact("{access_token:" + WRITER + "}"))
        .isEqualTo("{access_token[redacted]");
    assertThat(TokenAuthenticator.redact("{'ACCESS\\u005ftoken':'" + WRITER + "'}"))
        .isEqualTo("{'ACCESS\\u005ftoken[redacted]");
    // The break inside the token's value: the rest of the line.
    assertThat(TokenAuthenticator.redact("{\"access_token\":[\"" + WRITER + "\",}"))
        .isEqualTo("{\"access_token\":[redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_token\":\"" + WRITER + "\\q\"}"))
        .isEqualTo("{\"access_token\":[redacted]");
    // Invalid UTF-8 (read as U+FFFD) around the token.
    assertThat(
            TokenAuthenticator.redact(
                "\uFFFD{\"access_token\":\"" + WRITER + "\uFFFD\",\"event\":{}}"))
        .isEqualTo("\uFFFD{\"access_token[redacted]");
    assertThat(
            TokenAuthenticator.redact(
                "{\"access_token\":\"\uFFFD" + WRITER + "\"\uFFFD,\"event\":{}}"))
        .isEqualTo("{\"access_token\":" + R + "\uFFFD,\"event\":{}}");
  }

  @Test
  void redactsATruncatedLineToItsEnd() {
    assertThat(TokenAuthenticator.redact("{\"event\":{},\"access_token\":\"" + SECRET + "-cut"))
        .isEqualTo("{\"event\":{},\"access_token\":[redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_token\":\"" + SECRET + "\\"))
        .isEqualTo("{\"access_token\":[redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_token\":\"" + SECRET + "\\\""))
        .isEqualTo("{\"access_token\":[redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_token\": \""))
        .isEqualTo("{\"access_token\": [redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_token\": "))
        .isEqualTo("{\"access_token[redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_tok")).isEqualTo("{\"access_tok");
  }

  @Test
  void redactsAnUnquotedToken() {
    assertThat(TokenAuthenticator.redact("{\"access_token\":" + SECRET + "-x ,\"event\":{}}"))
        .isEqualTo("{\"access_token[redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_token\": 12345}"))
        .isEqualTo("{\"access_token\": " + R + "}");
    assertThat(TokenAuthenticator.redact("{\"access_token\":'" + SECRET + "'"))
        .isEqualTo("{\"access_token[redacted]");
    assertThat(TokenAuthenticator.redact("{\"access_token\":nullify}"))
        .isEqualTo("{\"access_token[redacted]");
  }

  @Test
  void leavesNonSecretValuesAndLinesWithoutATokenUnchanged() {
    for (String line :
        List.of(
            EVENT,
            "{\"event\":{\"note\":\"access_token\"}}",
            "{\"event\":{\"note\":\"\\\"access_token\\\": \\\"x\\\"\"}}",
            "{\"accesstoken\":\"abc\",\"event\":{}}",
            "{\"access_token_2\":\"abc\",\"event\":{}}",
            "{\"access_token\":null,\"event\":{}}",
            "not json at all",
            "")) {
      assertThat(TokenAuthenticator.redact(line)).as(line).isSameAs(line);
    }
  }

  @Test
  void redactsAHugeTokenAndItsCopiesWithoutOverflowingTheStackInLinearTime() {
    String token = "\\\"a".repeat(300_000);
    assertThat(TokenAuthenticator.redact("{\"access_token\":\"" + token + "\"}"))
        .isEqualTo("{\"access_token\":" + R + "}");

    // A copy that almost matches at every position: naive search would be quadratic.
    String almost = "a".repeat(300_000);
    String line = "{\"access_token\":\"" + almost + "\",\"event\":tru,\"n\":\"" + almost + "b\"}";
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThat(TokenAuthenticator.redact(line))
                .isEqualTo("{\"access_token\":" + R + ",\"event\":tru,\"n\":\"[redacted]b\"}"));
  }

  @Test
  void theShownLineOfEveryCheckHasNoCopyOfTheToken() {
    for (String line :
        List.of(
            line(WRITER, "{\"workspace_id\":\"ws_1\",\"note\":\"" + WRITER + "\"}"),
            "{\"event\":{\"note\":\"" + WRITER + "\"},\"access\\u005ftoken\":\"" + WRITER + "\"}",
            "{\"access_token\":\"" + WRITER + "\",\"event\":{}," + WRITER + "}",
            "{\"access_token\":\""
                + WRITER
                + "\",\"event\":{\""
                + WRITER
                + "\":1,\""
                + WRITER
                + "\":2}}")) {
      TokenAuthenticator.Checked checked = auth.check(line, "ws_1");
      RecordRejectedException e =
          catchThrowableOfType(RecordRejectedException.class, checked::event);

      assertThat(e).as(line).isNotNull();
      assertThat(checked.shown()).as(line).doesNotContain(SECRET).contains("[redacted]");
      assertThat(e.getMessage()).as(line).doesNotContain(SECRET);
    }
  }

  @Test
  void aKnownTokenIsFoundInEveryLineItTurnsUpInHoweverManyWordsCameBefore() throws Exception {
    // The authenticator remembers words that are no token, from line to line, and starts afresh
    // after 16,384 of them: a token is never among them, whatever came before.
    for (int i = 0; i < 40_000; i++) {
      boolean carried = i % 997 == 0;
      String value = carried ? "see " + OTHER + "." : "word" + i + " other" + (i % 50);
      String event = EVENT.replace("\"zeta\":1", "\"zeta\":\"" + value + "\"");
      TokenAuthenticator.Checked checked = auth.check(line(WRITER, event), "ws_1");
      if (carried) {
        RecordRejectedException e =
            catchThrowableOfType(RecordRejectedException.class, checked::event);
        assertThat(e).as("line %d", i).isNotNull();
        assertThat(e.reason()).isEqualTo(FORBIDDEN);
        assertThat(checked.shown()).as("line %d", i).doesNotContain(SECRET);
      } else {
        assertThat(checked.event()).as("line %d", i).isNotNull();
      }
    }
  }

  @Test
  void aLongWordEndingInManyMarksIsLookedUpInLinearTime() {
    // Each shorter form of the word (one mark less) may be a token: all are looked up, but the
    // word's hash is not computed again for each. 620 kB took minutes and ran out of memory.
    String word = "a".repeat(600_000) + ".".repeat(20_000);
    String event = EVENT.replace("\"zeta\":1", "\"note\":\"" + word + "\"");
    String withToken =
        EVENT.replace("\"zeta\":1", "\"note\":\"" + OTHER + ".".repeat(20_000) + "\"");
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertThat(auth.check(line(WRITER, event), "ws_1").event()).isNotNull();
          TokenAuthenticator.Checked carried = auth.check(line(WRITER, withToken), "ws_1");
          assertThat(catchThrowableOfType(RecordRejectedException.class, carried::event).reason())
              .isEqualTo(FORBIDDEN);
          assertThat(carried.shown()).doesNotContain(SECRET);
        });
  }

  @Test
  void longWordsAreHashedEveryTimeAndNotRemembered() {
    KnownTokens known = new KnownTokens(java.util.Set.of(sha256(OTHER)));
    long before = known.rememberedChars();
    for (int i = 0; i < 100; i++) {
      known.withoutKnownTokens("x" + i + "y".repeat(10_000) + " short" + (i % 10));
    }
    // The short words only: a long one costs its hash each time, never memory that stays.
    assertThat(known.rememberedChars() - before).isLessThan(1000);
    assertThat(known.withoutKnownTokens("z".repeat(10_000) + " " + OTHER + "!"))
        .isEqualTo("z".repeat(10_000) + " [redacted]!");
  }

  @Test
  void aKnownTokenUnderANestedAccessTokenKeyIsRedactedWhereItStands() {
    String event = EVENT.replace("\"zeta\":1", "\"access_token\":\"" + OTHER + "\"");
    TokenAuthenticator.Checked checked = auth.check(line(WRITER, event), "ws_1");
    RecordRejectedException e = catchThrowableOfType(RecordRejectedException.class, checked::event);

    assertThat(e.reason()).isEqualTo(FORBIDDEN);
    assertThat(checked.shown())
        .isEqualTo(
            "{\"access_token\":" + R + ",\"event\":" + event.replace("\"" + OTHER + "\"", R) + "}");
  }

  @Test
  void jacksonsQuotesOfTheLineAreKeptOnlyWhenTheShownLineHasThemAnyway() {
    // Jackson quotes the key decoded; the shown line has it only escaped.
    RecordRejectedException escaped =
        rejection("{\"event\":{\"\\u0073ecret\":1,\"\\u0073ecret\":2}}", "ws_1");
    assertThat(escaped.getMessage()).startsWith("invalid JSON: Duplicate field at column");

    RecordRejectedException harmless = rejection("{\"event\":{\"a\":1,\"a\":2}}", "ws_1");
    assertThat(harmless.getMessage()).startsWith("invalid JSON: Duplicate field 'a' at column");

    RecordRejectedException word = rejection("{\"event\":{\"created_at\":tru}}", "ws_1");
    assertThat(word.getMessage()).startsWith("invalid JSON: Unrecognized token 'tru': ");
  }

  // ---------------------------------------------------------------- tokens file

  @Test
  void loadsATokensFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokens.json");
    Files.writeString(file, "\uFEFF" + TOKENS + "\n");

    TokenAuthenticator loaded = TokenAuthenticator.load(file);

    assertThat(loaded.check(line(WRITER, EVENT), "default").event())
        .isEqualTo(InputJson.parse(EVENT));
    assertThat(loaded.check(line(OTHER, "{}"), "ws_2").event()).isEqualTo(InputJson.parse("{}"));
  }

  @Test
  void tokensWithoutScopesOrEntriesAreAllowed() {
    TokenAuthenticator none = TokenAuthenticator.of("{\"tokens\":[]}");
    assertThat(rejectionBy(none, line(WRITER, EVENT)).reason()).isEqualTo(UNAUTHORIZED);

    TokenAuthenticator noScope =
        TokenAuthenticator.of(
            "{\"tokens\":[" + entry(sha256(WRITER), "ws_1", "") + "],\"comment\":\"x\"}");
    assertThat(rejectionBy(noScope, line(WRITER, EVENT)).reason()).isEqualTo(FORBIDDEN);
  }

  private static RecordRejectedException rejectionBy(TokenAuthenticator a, String line) {
    return catchThrowableOfType(
        RecordRejectedException.class, () -> a.check(line, "default").event());
  }

  static Stream<Arguments> malformedTokenFiles() {
    String hash = sha256(WRITER);
    return Stream.of(
        arguments("", "is empty"),
        arguments(" \n", "is empty"),
        arguments("{\"tokens\":[", "not valid JSON"),
        arguments("{\"tokens\":[]} {}", "not valid JSON"),
        arguments("{\"tokens\":[],\"tokens\":[]}", "not valid JSON"),
        arguments("[]", "\"tokens\" array"),
        arguments("{}", "\"tokens\" array"),
        arguments("{\"tokens\":{}}", "\"tokens\" array"),
        arguments("{\"tokens\":null}", "\"tokens\" array"),
        arguments("{\"tokens\":[\"" + hash + "\"]}", "tokens[0] must be an object"),
        arguments("{\"tokens\":[{\"workspace_id\":\"ws_1\",\"scopes\":[]}]}", "tokens[0].sha256"),
        arguments(
            "{\"tokens\":[" + entry(hash.substring(1), "ws_1", "") + "]}", "tokens[0].sha256"),
        arguments("{\"tokens\":[" + entry(hash + "0", "ws_1", "") + "]}", "tokens[0].sha256"),
        arguments(
            "{\"tokens\":[" + entry("g" + hash.substring(1), "ws_1", "") + "]}",
            "tokens[0].sha256"),
        arguments(
            "{\"tokens\":[{\"sha256\":1,\"workspace_id\":\"ws_1\",\"scopes\":[]}]}",
            "tokens[0].sha256"),
        arguments(
            "{\"tokens\":[{\"sha256\":\"" + hash + "\",\"scopes\":[]}]}", "tokens[0].workspace_id"),
        arguments("{\"tokens\":[" + entry(hash, "ws 1", "") + "]}", "tokens[0].workspace_id"),
        arguments("{\"tokens\":[" + entry(hash, "", "") + "]}", "tokens[0].workspace_id"),
        arguments(
            "{\"tokens\":[" + entry(hash, "w".repeat(65), "") + "]}", "tokens[0].workspace_id"),
        arguments(
            "{\"tokens\":[{\"sha256\":\"" + hash + "\",\"workspace_id\":1,\"scopes\":[]}]}",
            "tokens[0].workspace_id"),
        arguments(
            "{\"tokens\":[{\"sha256\":\"" + hash + "\",\"workspace_id\":\"ws_1\"}]}",
            "tokens[0].scopes"),
        arguments(
            "{\"tokens\":[{\"sha256\":\""
                + hash
                + "\",\"workspace_id\":\"ws_1\",\"scopes\":\"write_events\"}]}",
            "tokens[0].scopes"),
        arguments(
            "{\"tokens\":[" + entry(hash, "ws_1", "\"write_events\",1") + "]}", "tokens[0].scopes"),
        arguments("{\"tokens\":[" + entry(hash, "ws_1", "null") + "]}", "tokens[0].scopes"),
        arguments(
            "{\"tokens\":["
                + entry(hash, "ws_1", "")
                + ","
                + entry(hash.toUpperCase(Locale.ROOT), "ws_2", "")
                + "]}",
            "tokens[1].sha256 repeats tokens[0]"));
  }

  @ParameterizedTest
  @MethodSource("malformedTokenFiles")
  void malformedTokensFileIsAOneLineUsageError(String content, String problem, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("tokens.json");
    Files.writeString(file, content);

    assertThatThrownBy(() -> TokenAuthenticator.load(file))
        .isInstanceOf(TokensFileException.class)
        .hasMessageStartingWith("tokens file " + file + ": ")
        .hasMessageContaining(problem)
        .message()
        .doesNotContain("\n");
    assertThatThrownBy(() -> TokenAuthenticator.of(content))
        .isInstanceOf(TokensFileException.class)
        .hasMessageStartingWith("tokens JSON: ")
        .hasMessageContaining(problem);
  }

  @Test
  void missingTokensFileIsAUsageError(@TempDir Path dir) {
    Path file = dir.resolve("absent.json");

    assertThatThrownBy(() -> TokenAuthenticator.load(file))
        .isInstanceOf(TokensFileException.class)
        .hasMessageStartingWith("tokens file " + file + ": cannot be read")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void tokensFileWithAnUnquotedWordDoesNotEchoIt() {
    assertThatThrownBy(() -> TokenAuthenticator.of("{\"tokens\":[{\"sha256\":" + SECRET + "}]}"))
        .isInstanceOf(TokensFileException.class)
        .hasMessageContaining("not valid JSON")
        .message()
        .doesNotContain(SECRET);
  }
}
