package dev.dataevents.io.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text as PostgreSQL can hold it: U+0000, which text and jsonb refuse, becomes U+FFFD. */
class ContactStateWriterTest {
  @Test
  void nulInTextBecomesTheReplacementCharacter() {
    assertThat(ContactStateWriter.text("a\u0000b")).isEqualTo("a\ufffdb");
    assertThat(ContactStateWriter.text("plain")).isEqualTo("plain");
    assertThat(ContactStateWriter.text(null)).isNull();
  }

  @Test
  void anEscapedNulInJsonBecomesAnEscapedReplacementCharacterAndNothingElseChanges() {
    assertThat(ContactStateWriter.json("{\"k\":\"a\\u0000b\"}")).isEqualTo("{\"k\":\"a\\ufffdb\"}");
    // An escaped backslash followed by "u0000" is text, not an escape.
    assertThat(ContactStateWriter.json("{\"k\":\"\\\\u0000\"}")).isEqualTo("{\"k\":\"\\\\u0000\"}");
    assertThat(ContactStateWriter.json("{\"k\":\"\\\\\\u0000\"}"))
        .isEqualTo("{\"k\":\"\\\\\\ufffd\"}");
  }

  @Test
  void runTablesAreNamedAfterTheRun() {
    TableSet run = TableSet.ofRun("ab12");
    assertThat(run.contacts()).isEqualTo("data_events.contacts__run_ab12");
    assertThat(TableSet.CURRENT.listedEvents()).isEqualTo("data_events.listed_events");
  }
}
