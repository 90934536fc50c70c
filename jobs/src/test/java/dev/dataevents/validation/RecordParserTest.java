package dev.dataevents.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.SourceKind;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The parser's line rules by the kind of input: events, imported summaries, the directory. */
class RecordParserTest {
  private static final String LONG = "{\"id\":\"" + "x".repeat(2000) + "\"}";

  private OneInputStreamOperatorTestHarness<RawLine, ContactRecord> harness;

  @BeforeEach
  void open() throws Exception {
    ValidationSettings settings = new ValidationSettings("default", 1_793_491_200L, 86_400, 10);
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new ProcessOperator<>(new RecordParser(settings, true, null)));
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private Rejection rejectTooLong(SourceKind kind) throws Exception {
    harness.processElement(
        new StreamRecord<>(
            new RawLine(0, "in.jsonl", kind, 1, LONG.substring(0, 1024), true, LONG.length())));
    List<Rejection> rejected =
        harness.getSideOutput(RecordParser.REJECTED).stream().map(StreamRecord::getValue).toList();
    assertThat(rejected).hasSize(1);
    return rejected.get(0);
  }

  @Test
  void aTooLongEventLineIsLineTooLong() throws Exception {
    assertThat(rejectTooLong(SourceKind.EVENTS).reason()).isEqualTo("line_too_long");
  }

  @Test
  void aTooLongImportLineIsLineTooLongAsForEvents() throws Exception {
    assertThat(rejectTooLong(SourceKind.SUMMARIES).reason()).isEqualTo("line_too_long");
  }

  @Test
  void aTooLongDirectoryLineIsAnInvalidContactLikeEveryOtherBadDirectoryLine() throws Exception {
    Rejection rejection = rejectTooLong(SourceKind.CONTACTS);
    assertThat(rejection.reason()).isEqualTo("invalid_contact");
    assertThat(rejection.status()).isEqualTo(400);
    assertThat(rejection.field()).isNull();
    assertThat(rejection.raw()).isEqualTo(LONG.substring(0, 1024));
    assertThat(rejection.message()).contains("longer than");
  }
}
