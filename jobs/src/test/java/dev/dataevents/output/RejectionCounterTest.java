package dev.dataevents.output;

import static dev.dataevents.testing.Harnesses.counter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.json.Json;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.Rejection;
import dev.dataevents.model.RejectionReason;
import dev.dataevents.reporting.Counters;
import dev.dataevents.testing.Harnesses;
import dev.dataevents.testing.Schemas;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The rejection stage on the harness: it counts each rejection by reason and renders it; a
 * rejection it cannot render becomes a well-formed {@code internal_error} line, counted as such,
 * and the stage goes on.
 */
class RejectionCounterTest {
  private static Rejection rejection(long line, String raw) {
    return Rejection.of(
        RejectionReason.INVALID_JSON,
        null,
        "not JSON",
        "in/a.jsonl",
        InputPosition.of(0, line),
        raw);
  }

  @Test
  void aRejectionThatCannotBeRenderedIsWrittenAsAWellFormedInternalErrorAndCountedOnce()
      throws Exception {
    RejectionCounter counter =
        new RejectionCounter(
            r -> {
              if (r.raw().equals("poison")) {
                throw new IllegalStateException("injected failure while rendering");
              }
              return RecordJson.rejection(r);
            });
    try (var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new StreamMap<>(counter), Rejection::position, Types.LONG)) {
      harness.open();
      harness.processElement(new StreamRecord<>(rejection(1, "{")));
      harness.processElement(new StreamRecord<>(rejection(2, "poison")));
      harness.processElement(new StreamRecord<>(rejection(3, "[")));

      List<String> lines = Harnesses.text(harness.extractOutputValues());
      assertThat(lines).hasSize(3);
      lines.forEach(line -> Schemas.assertValid("rejection.schema.json", line));
      assertThat(lines.get(0)).contains("\"reason\":\"invalid_json\"", "\"line\":1");
      assertThat(lines.get(2)).contains("\"reason\":\"invalid_json\"", "\"line\":3");
      var fallback = Json.mapper().readTree(lines.get(1));
      assertThat(fallback.get("reason").asText()).isEqualTo("internal_error");
      assertThat(fallback.get("status").asInt()).isEqualTo(500);
      assertThat(fallback.get("source").asText()).isEqualTo("in/a.jsonl");
      assertThat(fallback.get("line").asLong()).isEqualTo(2);
      assertThat(fallback.get("raw").asText()).isEmpty();
      assertThat(fallback.get("message").asText()).contains("could not be written");

      assertThat(counter(harness, Counters.REJECTED)).isEqualTo(3);
      assertThat(counter(harness, Counters.REJECTED_PREFIX + "invalid_json")).isEqualTo(2);
      assertThat(counter(harness, Counters.REJECTED_PREFIX + "internal_error")).isEqualTo(1);
    }
  }
}
