package dev.dataevents.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a rejection says of a line that is no JSON: one line, in the line's own terms. */
class JsonErrorMessageTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"workspace_id\":\"w\",\"id\":\"ok1\"",
        "[1,2",
        "{\"a\":[1,{\"b\":2}",
        "{\"a\":\"unterminated",
        "{\"a\":tru}"
      })
  void noParserInternalsOnlyTheColumnsOfTheLine(String line) {
    String message = JsonTreeReader.read(line, null).error();
    assertThat(message)
        .startsWith("invalid JSON: ")
        .doesNotContain("Source")
        .doesNotContain("REDACTED")
        .doesNotContain("StreamReadFeature")
        .doesNotContain("line: ")
        .doesNotContain("\n")
        .contains("column");
  }

  @org.junit.jupiter.api.Test
  void anUnclosedObjectNamesWhereItStarted() {
    assertThat(JsonTreeReader.read("{\"workspace_id\":\"w\",\"id\":\"ok1\"", null).error())
        .isEqualTo(
            "invalid JSON: Unexpected end-of-input: expected close marker for Object (start marker"
                + " at column 1) at column 31");
  }

  /**
   * A line may hold a bare carriage return (only a final one is taken off): Jackson counts its
   * columns from there again, as from a new line, but a column of the message counts from the
   * line's start.
   */
  @org.junit.jupiter.api.Test
  void columnsCountFromTheStartOfTheLinePastACarriageReturn() {
    assertThat(JsonTreeReader.read("{\"a\":1}\r{\"b\":2}", null).error())
        .isEqualTo("invalid JSON: more than one JSON value on the line at column 9");
    assertThat(JsonTreeReader.read("{\"a\":1,\r\"b\":tru}", null).error())
        .startsWith("invalid JSON: Unrecognized token 'tru'")
        .endsWith(" at column 16");
  }
}
