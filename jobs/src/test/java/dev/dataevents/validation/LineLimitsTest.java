package dev.dataevents.validation;

import static dev.dataevents.model.RejectionReason.CREATED_AT_IN_MILLISECONDS;
import static dev.dataevents.model.RejectionReason.INVALID_CREATED_AT;
import static dev.dataevents.model.RejectionReason.INVALID_EVENT_SUMMARIES;
import static dev.dataevents.model.RejectionReason.INVALID_IDENTIFIER;
import static dev.dataevents.model.RejectionReason.INVALID_JSON;
import static dev.dataevents.model.RejectionReason.INVALID_METADATA_VALUE;
import static dev.dataevents.validation.EventValidationTest.SETTINGS;
import static dev.dataevents.validation.EventValidationTest.ev;
import static dev.dataevents.validation.EventValidationTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dataevents.json.Json;
import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.RejectionReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Memory and time bounded by the line, not by what the line asks for (the contract: every hostile
 * line becomes a rejection): a nesting depth limit, and numbers whose size is checked before any
 * conversion.
 */
class LineLimitsTest {
  /** Far more than any of these needs, far less than a quadratic conversion of a million digits. */
  private static final Duration QUICKLY = Duration.ofSeconds(5);

  private static final String MILLION_DIGITS = "9" + "0".repeat(999_999);

  private final RecordValidator validator = new RecordValidator(SETTINGS);

  private ContactRecord accept(String line) {
    return assertTimeoutPreemptively(QUICKLY, () -> validator.event(line, 1L, null, null));
  }

  private RecordRejectedException reject(String line, RejectionReason reason, String field) {
    RecordRejectedException e =
        assertTimeoutPreemptively(
            QUICKLY, () -> catchThrowableOfType(RecordRejectedException.class, () -> accept(line)));
    assertThat(e).as("a rejection of %s", EventValidationTest.shorten(line)).isNotNull();
    assertThat(e.reason()).as("reason (%s)", e.getMessage()).isEqualTo(reason);
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(300);
    return e;
  }

  /** An object whose deepest value lies {@code depth} levels down, counting the object. */
  private static String nested(int depth) {
    int arrays = depth - 1;
    return ev().set("extra", "[".repeat(arrays) + "]".repeat(arrays)).json();
  }

  // ---------------------------------------------------------------- nesting

  @Test
  void aThousandLevelsAreValid() {
    accept(nested(Json.MAX_NESTING_DEPTH));
  }

  @Test
  void deeperThanAThousandLevelsIsInvalidJson() {
    RecordRejectedException e = reject(nested(Json.MAX_NESTING_DEPTH + 1), INVALID_JSON, null);

    assertThat(e.getMessage()).contains("nested deeper than 1000");
  }

  @Test
  void aMebibyteOfOpeningBracketsIsInvalidJsonAtTheLimit() {
    RecordRejectedException e = reject("[".repeat(1 << 20), INVALID_JSON, null);

    assertThat(e.getMessage()).contains("nested deeper than 1000", "column 1001");
  }

  @Test
  void deepNestingIsCountedInEveryValueNotOnlyArrays() {
    String objects = "{\"a\":".repeat(1000) + "1" + "}".repeat(1000);
    reject(ev().set("extra", objects).json(), INVALID_JSON, null);
    accept(ev().set("extra", "{\"a\":".repeat(998) + "1" + "}".repeat(998)).json());
  }

  // ---------------------------------------------------------------- created_at

  /** At or above 100000000000 it "looks like milliseconds", however many digits it has. */
  @Test
  void aMillionDigitCreatedAtLooksLikeMilliseconds() {
    RecordRejectedException e =
        reject(
            ev().set("created_at", MILLION_DIGITS).json(),
            CREATED_AT_IN_MILLISECONDS,
            "created_at");

    assertThat(e.getMessage()).contains("1000000 digits").hasSizeLessThan(200);
  }

  @Test
  void aMillionDigitNegativeCreatedAtIsInvalid() {
    reject(ev().set("created_at", "-" + MILLION_DIGITS).json(), INVALID_CREATED_AT, "created_at");
  }

  @Test
  void anIntegerBeyond64BitsIsMillisecondsWhenPositiveAndInvalidWhenNegative() {
    reject(
        ev().set("created_at", "9223372036854775808").json(),
        CREATED_AT_IN_MILLISECONDS,
        "created_at");
    reject(
        ev().set("created_at", "123456789012345678901234567890").json(),
        CREATED_AT_IN_MILLISECONDS,
        "created_at");
    reject(ev().set("created_at", "-9223372036854775809").json(), INVALID_CREATED_AT, "created_at");
    reject(
        ev().set("created_at", Long.toString(Long.MAX_VALUE)).json(),
        CREATED_AT_IN_MILLISECONDS,
        "created_at");
  }

  @Test
  void aMillionDigitFractionIsInvalidQuickly() {
    reject(ev().set("created_at", "1." + MILLION_DIGITS).json(), INVALID_CREATED_AT, "created_at");
  }

  // ---------------------------------------------------------------- user_id

  @Test
  void aMillionDigitUserIdIsInvalid() {
    RecordRejectedException e =
        reject(ev().set("user_id", MILLION_DIGITS).json(), INVALID_IDENTIFIER, "user_id");

    assertThat(e.getMessage()).contains("1-255", "1000000");
  }

  @Test
  void anIntegerUserIdIsItsDecimalStringUpTo255Digits() {
    String digits = "1" + "2".repeat(254);
    assertThat(accept(ev().set("user_id", digits).json()).userId()).isEqualTo(digits);
    assertThat(accept(ev().set("user_id", "-" + digits.substring(1)).json()).userId())
        .isEqualTo("-" + digits.substring(1));
    assertThat(accept(ev().set("user_id", "-0").json()).userId()).isEqualTo("0");
    reject(ev().set("user_id", digits + "3").json(), INVALID_IDENTIFIER, "user_id");
  }

  // ---------------------------------------------------------------- metadata

  @Test
  void aMillionDigitMetadataNumberIsKeptAsSent() {
    ContactRecord record =
        accept(ev().set("metadata", "{\"big\":" + MILLION_DIGITS + ",\"n\":-1}").json());

    assertThat(record.metadataJson()).isEqualTo("{\"big\":" + MILLION_DIGITS + ",\"n\":-1}");
  }

  @Test
  void aMillionDigitMetadataFractionIsANumber() {
    ContactRecord record = accept(ev().set("metadata", "{\"f\":0." + MILLION_DIGITS + "}").json());

    assertThat(record.metadataJson()).isEqualTo("{\"f\":0.9}");
  }

  @Test
  void hugeIntegersWhereALongIsNeededAreInvalidValues() {
    reject(
        ev().set("metadata", "{\"paid_date\":" + MILLION_DIGITS + "}").json(),
        INVALID_METADATA_VALUE,
        "metadata.paid_date");
  }

  /** A Monetary Amount is an integer >= 0 of cents, with no upper bound: kept as sent. */
  @Test
  void aMonetaryAmountBeyond64BitsIsKeptAsSent() {
    for (String amount :
        new String[] {"9223372036854775808", "123456789012345678901234567890", MILLION_DIGITS}) {
      ContactRecord record =
          accept(
              ev().set("metadata", "{\"price\":{\"amount\":" + amount + ",\"currency\":\"usd\"}}")
                  .json());
      assertThat(record.metadataJson())
          .isEqualTo("{\"price\":{\"amount\":" + amount + ",\"currency\":\"usd\"}}");
    }
    reject(
        ev().set("metadata", "{\"price\":{\"amount\":-9223372036854775809,\"currency\":\"usd\"}}")
            .json(),
        INVALID_METADATA_VALUE,
        "metadata.price");
  }

  // ---------------------------------------------------------------- imported summaries

  @Test
  void hugeCountsInImportedSummariesSaturateQuickly() throws Exception {
    // An integer >= 1 however long: kept as 2^63-1, its sign read from its text, never parsed.
    for (String count : new String[] {MILLION_DIGITS, "9223372036854775808"}) {
      String line =
          "{\"user_id\":\"u\",\"event_summaries\":{\"event_name\":\"x\",\"count\":"
              + count
              + ",\"first\":1,\"last\":1}}";
      long[] counts =
          assertTimeoutPreemptively(
              QUICKLY, () -> validator.summaryImport(line, 1L, null, null).summaryCounts());
      assertThat(counts).containsExactly(Long.MAX_VALUE);
    }
  }

  @Test
  void hugeIntegersInImportedSummariesAreInvalidSummaries() {
    for (String summary :
        new String[] {
          "{\"event_name\":\"x\",\"count\":-" + MILLION_DIGITS + ",\"first\":1,\"last\":1}",
          "{\"event_name\":\"x\",\"count\":1,\"first\":" + MILLION_DIGITS + ",\"last\":1}",
          "{\"event_name\":\"x\",\"count\":-9223372036854775809,\"first\":1,\"last\":1}"
        }) {
      String line = "{\"user_id\":\"u\",\"event_summaries\":" + summary + "}";
      RecordRejectedException e =
          assertTimeoutPreemptively(
              QUICKLY,
              () ->
                  catchThrowableOfType(
                      RecordRejectedException.class,
                      () -> validator.summaryImport(line, 1L, null, null)));
      assertThat(e).isNotNull();
      assertThat(e.reason()).isEqualTo(INVALID_EVENT_SUMMARIES);
      assertThat(e.getMessage()).hasSizeLessThan(300);
    }
  }

  // ---------------------------------------------------------------- strings and keys

  @Test
  void aMebibyteStringIsJustAString() {
    String note = "n".repeat(1 << 20);
    ContactRecord record = accept(ev().set("metadata", "{\"note\":" + q(note) + "}").json());

    assertThat(record.metadataJson()).isEqualTo("{\"note\":" + q("n".repeat(255)) + "}");
  }
}
