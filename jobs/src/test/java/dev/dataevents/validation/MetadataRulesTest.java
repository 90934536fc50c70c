package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.INVALID_METADATA;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_KEY;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.dataevents.json.Json;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.text.Text;
import dev.dataevents.validation.MetadataRules.KeptMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "Metadata" rules of the contract (docs/contract.md): null values, case, truncation, keys,
 * values, long strings.
 */
class MetadataRulesTest {
  static final String ROCKET = "\uD83D\uDE80";

  // ---------------------------------------------------------------- helpers

  static String q(String s) {
    return EventValidationTest.q(s);
  }

  /** A metadata object from alternating keys and raw JSON values, in that order. */
  static String meta(String... keysAndRawValues) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < keysAndRawValues.length; i += 2) {
      members.add(q(keysAndRawValues[i]) + ":" + keysAndRawValues[i + 1]);
    }
    return members.stream().collect(Collectors.joining(",", "{", "}"));
  }

  static KeptMetadata keep(String metadata, int maxKeys) {
    try {
      return MetadataRules.keep(InputJson.parse(metadata), maxKeys);
    } catch (RecordRejectedException e) {
      return fail(
          "expected %s to be kept, was rejected %s (%s)",
          EventValidationTest.shorten(metadata), e.reason(), e);
    }
  }

  static KeptMetadata keep(String metadata) {
    return keep(metadata, 10);
  }

  static RecordRejectedException reject(String metadata) {
    try {
      KeptMetadata kept = MetadataRules.keep(InputJson.parse(metadata), 10);
      return fail(
          "expected %s to be rejected, was kept as %s",
          EventValidationTest.shorten(metadata), kept);
    } catch (RecordRejectedException e) {
      return e;
    }
  }

  static void assertRejected(String metadata, RejectionReason reason, String field) {
    RecordRejectedException e = reject(metadata);
    String shown = EventValidationTest.shorten(metadata);
    assertThat(e.reason()).as("reason for %s (%s)", shown, e.getMessage()).isEqualTo(reason);
    assertThat(e.field()).as("field for %s", shown).isEqualTo(field);
  }

  /** Keys k1..kn with values 1..n. */
  static String numbered(int n) {
    return IntStream.rangeClosed(1, n)
        .mapToObj(i -> q("k" + i) + ":" + i)
        .collect(Collectors.joining(",", "{", "}"));
  }

  // ---------------------------------------------------------------- absent, null values

  @Test
  void absentMetadataKeepsNothing() throws Exception {
    KeptMetadata kept = MetadataRules.keep(null, 10);
    assertThat(kept.json()).isNull();
    assertThat(kept.keysDropped()).isZero();
    assertThat(kept.valuesTruncated()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"1", "\"x\"", "[]", "true", "[{\"a\":1}]"})
  void metadataMustBeAnObject(String raw) {
    assertRejected(raw, INVALID_METADATA, "metadata");
  }

  @Test
  void nullValuedKeysAreIgnoredAndNotCounted() {
    KeptMetadata kept = keep(meta("a", "null", "b", "1", "c", "null"));
    assertThat(kept.json()).isEqualTo("{\"b\":1}");
    assertThat(kept.keysDropped()).isZero();
  }

  @Test
  void onlyNullValuesKeepNothing() {
    KeptMetadata kept = keep(meta("a", "null", "b", "null"));
    assertThat(kept.json()).isNull();
    assertThat(kept.keysDropped()).isZero();
  }

  @Test
  void nullValuedKeysTakeNoPlaceAmongTheFirstTen() {
    String metadata = numbered(10).replace("{", "{\"skipped\":null,\"also\":null,");
    KeptMetadata kept = keep(metadata);
    assertThat(kept.json()).isEqualTo(numbered(10));
    assertThat(kept.keysDropped()).isZero();
  }

  @Test
  void nullValuedKeysAreNotValidated() {
    KeptMetadata kept = keep(meta("bad.key", "null", "", "null", "ok", "1"));
    assertThat(kept.json()).isEqualTo("{\"ok\":1}");
  }

  @Test
  void aNullValuedKeyDoesNotHideALaterKeyOfAnotherCase() {
    KeptMetadata kept = keep(meta("Plan", "null", "plan", q("pro")));
    assertThat(kept.json()).isEqualTo("{\"plan\":\"pro\"}");
    assertThat(kept.keysDropped()).isZero();
  }

  // ---------------------------------------------------------------- case

  @Test
  void aLaterKeyEqualButForCaseIsIgnoredAndCounted() {
    KeptMetadata kept = keep(meta("Plan", q("pro"), "plan", q("free"), "PLAN", q("x"), "n", "1"));
    assertThat(kept.json()).isEqualTo("{\"Plan\":\"pro\",\"n\":1}");
    assertThat(kept.keysDropped()).isEqualTo(2);
  }

  @Test
  void aLaterKeyEqualButForCaseIsIgnoredWhateverItsValue() {
    // The ignored key is not validated either: it was never kept.
    KeptMetadata kept = keep(meta("flag", q("yes"), "FLAG", "true"));
    assertThat(kept.json()).isEqualTo("{\"flag\":\"yes\"}");
    assertThat(kept.keysDropped()).isEqualTo(1);
  }

  @Test
  void keysEqualButForCaseIncludeTheCapitalSharpS() {
    // U+1E9E is the capital of ß, and both are "ss" once case is set aside (Unicode case folding,
    // as String.equalsIgnoreCase and Ruby's casecmp? see them).
    KeptMetadata kept = keep(meta("\u1e9e", "1", "\u00df", "2", "ss", "3", "SS", "4"));
    assertThat(kept.json()).isEqualTo("{\"\u1e9e\":1}");
    assertThat(kept.keysDropped()).isEqualTo(3);
    assertThat(keep(meta("STRA\u1e9eE", "1", "stra\u00dfe", "2", "STRASSE", "3")).keysDropped())
        .isEqualTo(2);
    assertThat(MetadataRules.fold("\u1e9e")).isEqualTo(MetadataRules.fold("\u00df"));
  }

  @Test
  void ignoredCaseDuplicatesTakeNoPlaceAmongTheFirstTen() {
    String metadata = numbered(10).replace("\"k2\":2,", "\"k2\":2,\"K1\":99,\"K2\":98,");
    KeptMetadata kept = keep(metadata);
    assertThat(kept.json()).isEqualTo(numbered(10));
    assertThat(kept.keysDropped()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- truncation

  @Test
  void keepsTheFirstTenKeysInSentOrder() {
    String[] keys = {"z", "a", "m", "b", "y", "c", "x", "d", "w", "e", "v", "f"};
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      parts.add(keys[i]);
      parts.add(Integer.toString(i));
    }

    KeptMetadata kept = keep(meta(parts.toArray(String[]::new)));

    assertThat(kept.json())
        .isEqualTo(
            "{\"z\":0,\"a\":1,\"m\":2,\"b\":3,\"y\":4,\"c\":5,\"x\":6,\"d\":7,\"w\":8,\"e\":9}");
    assertThat(kept.keysDropped()).isEqualTo(2);
  }

  @Test
  void exactlyTenKeysDropNothing() {
    KeptMetadata kept = keep(numbered(10));
    assertThat(kept.json()).isEqualTo(numbered(10));
    assertThat(kept.keysDropped()).isZero();
  }

  @Test
  void anInvalidKeyBeyondTheTenthIsIgnored() {
    String metadata = numbered(10).replace("}", ",\"bad.key\":1,\"\":2}");
    KeptMetadata kept = keep(metadata);
    assertThat(kept.json()).isEqualTo(numbered(10));
    assertThat(kept.keysDropped()).isEqualTo(2);
  }

  @Test
  void anInvalidValueBeyondTheTenthIsIgnored() {
    String metadata = numbered(10).replace("}", ",\"flag\":true,\"order_date\":\"soon\"}");
    KeptMetadata kept = keep(metadata);
    assertThat(kept.json()).isEqualTo(numbered(10));
    assertThat(kept.keysDropped()).isEqualTo(2);
  }

  @Test
  void theLimitIsConfigurable() {
    KeptMetadata kept = keep(meta("z", "1", "a", "2", "m", "3"), 2);
    assertThat(kept.json()).isEqualTo("{\"z\":1,\"a\":2}");
    assertThat(kept.keysDropped()).isEqualTo(1);
  }

  @Test
  void zeroKeysKeepsNothing() {
    KeptMetadata kept = keep(meta("a", "1", "b", "null", "bad.key", "true"), 0);
    assertThat(kept.json()).isNull();
    assertThat(kept.keysDropped()).isEqualTo(2);
    assertThat(kept.valuesTruncated()).isZero();
  }

  @Test
  void truncationAndCaseDropsAddUp() {
    KeptMetadata kept =
        keep(meta("a", "1", "A", "2", "b", "3", "c", "4", "B", "5", "d", "null"), 2);
    assertThat(kept.json()).isEqualTo("{\"a\":1,\"b\":3}");
    assertThat(kept.keysDropped()).isEqualTo(3);
  }

  // ---------------------------------------------------------------- keys

  static Stream<Arguments> forbiddenCharacters() {
    return ".$~`!@#%^&*'\"{}|\\\0"
        .chars()
        .mapToObj(c -> arguments(String.format("U+%04X", c), String.valueOf((char) c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forbiddenCharacters")
  void keysMustNotContainForbiddenCharacters(String codePoint, String c) {
    String key = "order" + c + "number";
    ObjectNode metadata = Json.mapper().createObjectNode().put("ok", 1).put(key, 1);

    assertRejected(metadata.toString(), INVALID_METADATA_KEY, "metadata." + key);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forbiddenCharacters")
  void aForbiddenCharacterAloneIsAnInvalidKey(String codePoint, String c) {
    ObjectNode metadata = Json.mapper().createObjectNode().put(c, "x");
    assertRejected(metadata.toString(), INVALID_METADATA_KEY, "metadata." + c);
  }

  @Test
  void anEmptyKeyIsInvalid() {
    assertRejected(meta("", "1"), INVALID_METADATA_KEY, "metadata.");
  }

  @Test
  void aKeyOf256CharactersIsInvalid() {
    String key = "k".repeat(256);
    assertRejected(meta(key, "1"), INVALID_METADATA_KEY, "metadata." + key);
  }

  @Test
  void aKeyOf256CodePointsIsInvalid() {
    String key = ROCKET.repeat(256);
    assertRejected(meta(key, "1"), INVALID_METADATA_KEY, "metadata." + key);
  }

  @Test
  void aKeyOf60000CharactersIsAnInvalidKey() {
    String key = "k".repeat(60_000);
    assertRejected(meta(key, "1"), INVALID_METADATA_KEY, "metadata." + key);
  }

  @Test
  void keysThatBecomeEqualOnceWellFormedAreNotBothKept() throws Exception {
    KeptMetadata kept = keep("{\"\\ud800\":1,\"\\ud801\":2}");
    assertThat(kept.json()).isEqualTo("{\"\uFFFD\":1}");
    assertThat(kept.keysDropped()).isEqualTo(1);
    assertThat(InputJson.parse(kept.json()).size()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "k",
        "order_number",
        "Stripe-Invoice",
        "with space",
        "colon:and/slash",
        "ünïcödé",
        "\uD83D\uDE80"
      })
  void ordinaryKeysAreValid(String key) {
    assertThat(keep(meta(key, "1")).json()).isEqualTo("{" + q(key) + ":1}");
  }

  @Test
  void keysOf255CharactersOrCodePointsAreValid() {
    String ascii = "k".repeat(255);
    String astral = ROCKET.repeat(255);
    assertThat(keep(meta(ascii, "1", astral, "2")).json())
        .isEqualTo("{" + q(ascii) + ":1," + q(astral) + ":2}");
  }

  @Test
  void theFirstInvalidKeyRejectsTheWholeMetadata() {
    assertRejected(meta("a", "1", "b#", "2", "c$", "3"), INVALID_METADATA_KEY, "metadata.b#");
  }

  // ---------------------------------------------------------------- values

  static Stream<Arguments> validValues() {
    return Stream.of(
        // Date
        arguments("order_date", "1392036272", "1392036272"),
        arguments("Order_DATE", "1", "1"),
        arguments("x_Date", "99999999999", "99999999999"),
        arguments("_date", "1392036272", "1392036272"),
        // Number
        arguments("count", "42", "42"),
        arguments("count", "0", "0"),
        arguments("balance", "-3", "-3"),
        arguments("ratio", "2.5", "2.5"),
        arguments("ratio", "-0.25", "-0.25"),
        arguments("big", "123456789012345678901234567890", "123456789012345678901234567890"),
        arguments("updated", "100000000000", "100000000000"),
        arguments("date", "1.5", "1.5"),
        // Link
        arguments("link", q("http://example.org"), q("http://example.org")),
        arguments("link", q("https://example.org/a/b?c=d#e"), q("https://example.org/a/b?c=d#e")),
        arguments("link", q("https://user@example.org:8443/"), q("https://user@example.org:8443/")),
        arguments("link", q("http://my_host.example/x"), q("http://my_host.example/x")),
        arguments("link", q("HTTPS://Example.org"), q("HTTPS://Example.org")),
        arguments("link", q("hTtP://example.org"), q("hTtP://example.org")),
        // String
        arguments("text", q("ftp://x"), q("ftp://x")),
        arguments("text", q("inv_3434343434"), q("inv_3434343434")),
        arguments("text", q(""), q("")),
        arguments("text", q("http:example"), q("http:example")),
        arguments("text", q("mailto:a@b.example"), q("mailto:a@b.example")),
        arguments("text", q("see https:// bad"), q("see https:// bad")),
        // Not a Link (no host, or not a URI) but "any other string": a String. No string value is
        // invalid but under a _date key.
        arguments("text", q("http://"), q("http://")),
        arguments("text", q("Https://"), q("Https://")),
        arguments("text", q("https://"), q("https://")),
        arguments("text", q("https:// bad"), q("https:// bad")),
        arguments("text", q("http:///path-without-host"), q("http:///path-without-host")),
        arguments("text", q("https://exa mple.org"), q("https://exa mple.org")),
        arguments("text", q("https://a.org/%zz"), q("https://a.org/%zz")),
        arguments("text", q("1392036272"), q("1392036272")),
        arguments("order_dates", q("2024-01-01"), q("2024-01-01")),
        arguments("text", q(ROCKET), q(ROCKET)),
        arguments("text", "\"a\\udc00b\"", q("a\uFFFDb")),
        // Rich Link
        arguments(
            "order_number",
            "{\"value\":\"3434-3434\",\"url\":\"https://example.org/orders/3434-3434\"}",
            "{\"value\":\"3434-3434\",\"url\":\"https://example.org/orders/3434-3434\"}"),
        arguments(
            "order_number",
            "{\"url\":\"http://example.org\",\"value\":\"\"}",
            "{\"url\":\"http://example.org\",\"value\":\"\"}"),
        arguments(
            "order_number",
            "{\"url\":\"http://a_b.example.org:8080/x\",\"value\":\"v\"}",
            "{\"url\":\"http://a_b.example.org:8080/x\",\"value\":\"v\"}"),
        // Monetary Amount
        arguments(
            "price",
            "{\"amount\":2999,\"currency\":\"usd\"}",
            "{\"amount\":2999,\"currency\":\"usd\"}"),
        arguments(
            "price", "{\"currency\":\"EUR\",\"amount\":0}", "{\"currency\":\"EUR\",\"amount\":0}"),
        arguments(
            "price",
            "{\"amount\":100,\"currency\":\"eur\"}",
            "{\"amount\":100,\"currency\":\"eur\"}"),
        arguments(
            "price",
            "{\"amount\":100,\"currency\":\"Jpy\"}",
            "{\"amount\":100,\"currency\":\"Jpy\"}"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("validValues")
  void keepsValidValues(String key, String raw, String expected) throws Exception {
    KeptMetadata kept = keep(meta(key, raw));

    JsonNode json = InputJson.parse(kept.json());
    assertThat(json.size()).isEqualTo(1);
    assertThat(json.get(key)).isEqualTo(InputJson.parse(expected));
    assertThat(kept.keysDropped()).isZero();
    assertThat(kept.valuesTruncated()).isZero();
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        // Date
        arguments("order_date", q("1392036272")),
        arguments("order_date", q("2014-02-10")),
        arguments("order_date", "1392036272.0"),
        arguments("order_date", "1.5"),
        arguments("order_date", "0"),
        arguments("order_date", "-5"),
        arguments("order_date", "100000000000"),
        arguments("order_date", "1392036272000"),
        arguments("order_date", "123456789012345678901234567890"),
        arguments("ORDER_DATE", q("x")),
        arguments("Order_Date", "true"),
        arguments("order_date", "{\"amount\":1,\"currency\":\"usd\"}"),
        // Rich Link
        arguments("rich", "{\"url\":\"https://x.org\",\"value\":\"v\",\"extra\":1}"),
        arguments("rich", "{\"url\":\"https://x.org\"}"),
        arguments("rich", "{\"value\":\"v\"}"),
        arguments("rich", "{\"url\":\"ftp://x.org\",\"value\":\"v\"}"),
        arguments("rich", "{\"url\":\"not a url\",\"value\":\"v\"}"),
        arguments("rich", "{\"url\":\"https://\",\"value\":\"v\"}"),
        // A port is digits (RFC 3986): a host name with '_' is still taken, one with a port of
        // letters is not.
        arguments("rich", "{\"url\":\"http://x.com:abc/\",\"value\":\"v\"}"),
        arguments("rich", "{\"url\":\"http://a_b.com:x1/\",\"value\":\"v\"}"),
        arguments("rich", "{\"url\":\"https://x.org\",\"value\":3}"),
        arguments("rich", "{\"url\":\"https://x.org\",\"value\":null}"),
        arguments("rich", "{\"url\":42,\"value\":\"v\"}"),
        arguments("rich", "{\"URL\":\"https://x.org\",\"value\":\"v\"}"),
        // Monetary Amount
        arguments("price", "{\"amount\":-1,\"currency\":\"usd\"}"),
        arguments("price", "{\"amount\":1.5,\"currency\":\"usd\"}"),
        arguments("price", "{\"amount\":100.0,\"currency\":\"usd\"}"),
        arguments("price", "{\"amount\":\"100\",\"currency\":\"usd\"}"),
        arguments("price", "{\"amount\":100,\"currency\":\"dollars\"}"),
        arguments("price", "{\"amount\":100,\"currency\":\"zzz\"}"),
        arguments("price", "{\"amount\":100,\"currency\":\"\"}"),
        // Letters that Java upper-cases into an ISO code, but are not one: dotless i, long s.
        arguments("price", "{\"amount\":100,\"currency\":\"\u0131nr\"}"),
        arguments("price", "{\"amount\":100,\"currency\":\"\u017fek\"}"),
        arguments("price", "{\"amount\":100,\"currency\":840}"),
        arguments("price", "{\"amount\":100,\"currency\":\"usd\",\"extra\":1}"),
        arguments("price", "{\"amount\":100}"),
        arguments("price", "{\"currency\":\"usd\"}"),
        // Anything else
        arguments("flag", "true"),
        arguments("flag", "false"),
        arguments("list", "[]"),
        arguments("list", "[1,2]"),
        arguments("object", "{}"),
        arguments("object", "{\"a\":1}"),
        arguments("object", "{\"a\":1,\"b\":2}"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidValues")
  void rejectsInvalidValues(String key, String raw) {
    assertRejected(meta("ok", "1", key, raw), INVALID_METADATA_VALUE, "metadata." + key);
  }

  // ---------------------------------------------------------------- long strings

  @Test
  void stringsLongerThan255CharactersAreTruncated() {
    KeptMetadata kept = keep(meta("note", q("n".repeat(256)), "short", q("s")));
    assertThat(kept.json()).isEqualTo("{\"note\":" + q("n".repeat(255)) + ",\"short\":\"s\"}");
    assertThat(kept.valuesTruncated()).isEqualTo(1);
  }

  @Test
  void stringsOfExactly255CharactersAreKept() {
    KeptMetadata kept = keep(meta("note", q("n".repeat(255))));
    assertThat(kept.json()).isEqualTo("{\"note\":" + q("n".repeat(255)) + "}");
    assertThat(kept.valuesTruncated()).isZero();
  }

  @Test
  void lengthIsCountedInCodePoints() {
    // 256 UTF-16 chars but 255 code points: not truncated.
    String value = "a".repeat(254) + ROCKET;
    KeptMetadata kept = keep(meta("note", q(value)));
    assertThat(kept.json()).isEqualTo("{\"note\":" + q(value) + "}");
    assertThat(kept.valuesTruncated()).isZero();
  }

  @Test
  void truncationNeverSplitsASurrogatePair() throws Exception {
    KeptMetadata kept = keep(meta("note", q("a" + ROCKET.repeat(300))));

    String note = InputJson.parse(kept.json()).get("note").textValue();
    assertThat(note).isEqualTo("a" + ROCKET.repeat(254));
    assertThat(Text.length(note)).isEqualTo(255);
    assertThat(Text.wellFormed(note)).isEqualTo(note);
    assertThat(kept.valuesTruncated()).isEqualTo(1);
  }

  @Test
  void longLinksAreTruncatedToo() {
    String link = "https://example.org/" + "p".repeat(300);
    KeptMetadata kept = keep(meta("link", q(link)));
    assertThat(kept.json()).isEqualTo("{\"link\":" + q(link.substring(0, 255)) + "}");
    assertThat(kept.valuesTruncated()).isEqualTo(1);
  }

  @Test
  void everyTruncatedValueIsCounted() {
    KeptMetadata kept =
        keep(meta("a", q("x".repeat(300)), "b", q("y".repeat(255)), "c", q(ROCKET.repeat(256))));
    assertThat(kept.valuesTruncated()).isEqualTo(2);
    assertThat(kept.json())
        .isEqualTo(
            "{\"a\":"
                + q("x".repeat(255))
                + ",\"b\":"
                + q("y".repeat(255))
                + ",\"c\":"
                + q(ROCKET.repeat(255))
                + "}");
  }

  // ---------------------------------------------------------------- through the validator

  @Test
  void aBadKeptKeyRejectsTheWholeEvent() {
    RecordValidator validator = new RecordValidator(EventValidationTest.SETTINGS);
    String line =
        EventValidationTest.ev().set("metadata", meta("plan", q("pro"), "price$", "1")).json();
    try {
      ContactRecord record = validator.event(line, 1L, null, null);
      fail("expected a rejection, got %s", record);
    } catch (RecordRejectedException e) {
      assertThat(e.reason()).isEqualTo(INVALID_METADATA_KEY);
      assertThat(e.field()).isEqualTo("metadata.price$");
    }
  }

  @Test
  void theValidatorUsesTheConfiguredKeyLimit() throws Exception {
    RecordValidator validator =
        new RecordValidator(
            new ValidationSettings(
                "default", EventValidationTest.REFERENCE, EventValidationTest.MAX_FUTURE, 3));
    String line = EventValidationTest.ev().set("metadata", numbered(5)).json();

    ContactRecord record = validator.event(line, 1L, null, null);

    assertThat(record.metadataJson()).isEqualTo(numbered(3));
    assertThat(record.metadataKeysDropped()).isEqualTo(2);
  }

  @Test
  void everyKeptKeyIsCheckedBeforeAnyValue() throws Exception {
    // A bad value on the first key and a bad key later: the key rule comes first.
    RecordRejectedException e = reject("{\"a\":true,\"b.c\":1}");
    assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_METADATA_KEY);
    assertThat(e.field()).isEqualTo("metadata.b.c");
  }

  /**
   * A Link over 255 characters is cut to its first 255, as a String is, even inside a
   * percent-escape: the cut text, no longer a URI, reads back as a String (never invalid), so the
   * accepted event stays valid input and is kept as it is when read again.
   */
  @Test
  void aLinkIsCutToItsFirst255CharactersEvenInsideAPercentEscape() throws Exception {
    for (int pad = 0; pad < 3; pad++) {
      String link = "https://ex.org/" + "a".repeat(pad) + "%41".repeat(100);
      KeptMetadata kept = keep("{\"l\":\"" + link + "\"}");
      assertThat(kept.json()).isEqualTo("{\"l\":\"" + link.substring(0, 255) + "\"}");
      assertThat(kept.valuesTruncated()).isEqualTo(1);

      KeptMetadata again = keep(kept.json());
      assertThat(again.json()).isEqualTo(kept.json());
      assertThat(again.valuesTruncated()).isZero();
    }
  }

  /** A String that only starts like a Link is cut as any String. */
  @Test
  void aStringThatIsNotALinkIsCutAsAString() {
    String text = "https://exa mple.org/a" + "%41".repeat(100);
    KeptMetadata kept = keep("{\"l\":\"" + text + "\"}");
    assertThat(kept.json()).isEqualTo("{\"l\":\"" + text.substring(0, 255) + "\"}");
    assertThat(kept.valuesTruncated()).isEqualTo(1);
  }

  @Test
  void theQuickLinkCheckAcceptsOnlyWhatTheUriParserAccepts() {
    java.util.Random rnd = new java.util.Random(9);
    String alphabet = "ab9Z.-_~/?=&:%#@[] \u00e9";
    int quick = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder s = new StringBuilder(rnd.nextBoolean() ? "https://" : "HTTP://");
      int n = rnd.nextInt(14);
      for (int j = 0; j < n; j++) {
        s.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      String text = s.toString();
      if (MetadataRules.isPlainHttpUri(text)) {
        quick++;
        assertThat(uriAccepts(text)).as(text).isTrue();
      }
    }
    assertThat(quick).isGreaterThan(1000);
    assertThat(MetadataRules.isPlainHttpUri("https://example.org/articles/1?x=2&y")).isTrue();
  }

  private static boolean uriAccepts(String text) {
    try {
      java.net.URI uri = new java.net.URI(text);
      return uri.isAbsolute() && uri.getHost() != null && !uri.getHost().isEmpty();
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** Every UTF-16 unit in every place of the suffix: the same answer as lower-casing the key. */
  @Test
  void aDateKeyIsFoundWithoutLowerCasingTheKey() {
    for (int place = 0; place < 5; place++) {
      for (int c = 0; c <= 0xFFFF; c++) {
        StringBuilder key = new StringBuilder("order_date");
        key.setCharAt(key.length() - 5 + place, (char) c);
        String k = key.toString();
        assertThat(MetadataRules.endsWithDate(k))
            .as("key ending %s", k.substring(5))
            .isEqualTo(k.toLowerCase(java.util.Locale.ROOT).endsWith("_date"));
      }
    }
    assertThat(MetadataRules.endsWithDate("_DaTe")).isTrue();
    assertThat(MetadataRules.endsWithDate("date")).isFalse();
    assertThat(MetadataRules.endsWithDate("\u0130_date")).isTrue();
  }

  @Test
  void aSelectionResetForTheNextEventRemembersNothingOfTheLast() throws Exception {
    // Parsers reuse one selection from event to event; past 16 keys it compares through a set.
    MetadataRules.Selection selection = new MetadataRules.Selection(30);
    for (int i = 0; i < 20; i++) {
      assertThat(selection.offer("key" + i)).isTrue();
      selection.value(Json.mapper().getNodeFactory().numberNode(i));
    }
    assertThat(selection.offer("KEY3")).isFalse(); // a repeat but for case, through the set
    selection.reset(2);
    assertThat(selection.offer("key3")).isTrue();
    selection.value(Json.mapper().getNodeFactory().textNode("x"));
    assertThat(selection.offer("KEY3")).isFalse(); // compared again, among this event's keys
    assertThat(selection.offer("other")).isTrue();
    selection.value(Json.mapper().getNodeFactory().numberNode(7));
    assertThat(selection.offer("third")).isFalse(); // the new limit of 2
    KeptMetadata kept = selection.validate();
    assertThat(kept.json()).isEqualTo("{\"key3\":\"x\",\"other\":7}");
    assertThat(kept.keysDropped()).isEqualTo(2);
  }
}
