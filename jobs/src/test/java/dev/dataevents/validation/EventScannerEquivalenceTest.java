package dev.dataevents.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.testing.LineMutations;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming read of an event line ({@link EventScanner}) decides every line exactly as reading
 * the whole line as a tree does: the same record, or the same rejection with the same message.
 * Lines are generated events, then cut, spliced and sprinkled with characters at random places, so
 * that syntax errors fall in skipped values, kept and dropped metadata, strings and numbers.
 */
class EventScannerEquivalenceTest {
  private static final String NOISE = "{}[]\",:\\ 0-9.eE+nulltruefalse\u0000\t\u00e9\uD83D\uDE80\n";

  @TempDir Path dir;

  @Test
  void everyLineIsDecidedAsTheTreeDecidesIt() throws Exception {
    List<String> lines =
        LineMutations.generatedAndDamaged(
            dir.resolve("events.jsonl"), 11, handWritten(), new Random(5), NOISE, 3, 1);
    for (int maxKeys : new int[] {10, 0, 2}) {
      RecordValidator validator =
          new RecordValidator(new ValidationSettings("default", 1_793_491_200L, 86_400, maxKeys));
      for (String line : lines) {
        assertThat(outcome(() -> validator.event(line, 7, "s", line)))
            .as("line %s with %d metadata keys", line, maxKeys)
            .isEqualTo(
                outcome(() -> validator.event(RecordValidator.parseObject(line), 7, "s", line)));
      }
    }
  }

  private static List<String> handWritten() {
    return List.of(
        "",
        "   ",
        "[]",
        "42",
        "\"text\"",
        "null",
        "{} {}",
        "{} x",
        "{\"a\":1}{",
        "{\"event_name\":\"x\",\"event_name\":\"y\"}",
        "{\"workspace_id\":null,\"event_name\":\"a\",\"created_at\":5,\"user_id\":1}",
        "{\"event_name\":\"a\",\"created_at\":5,\"user_id\":1,\"metadata\":[1]}",
        "{\"event_name\":\"a\",\"created_at\":5,\"user_id\":1,\"metadata\":null}",
        "{\"event_name\":\"a\",\"created_at\":5,\"user_id\":1,\"metadata\":{\"A\":1,\"a\":{\"x\":[}}}",
        "{\"event_name\":\"a\",\"created_at\":5,\"user_id\":1,\"metadata\":{\"k\":1e999}}",
        "{\"event_name\":\"a\",\"created_at\":5,\"user_id\":1,\"metadata\":{\"k\":\"\\q\"}}",
        "{\"event_name\":\"a\",\"created_at\":5,\"user_id\":1,\"x\":\"\\q\"}",
        "{\"event_name\":\"a\",\"created_at\":123456789012345678901234,\"user_id\":1}",
        "{\"event_name\":{\"deep\":[[[]]]},\"created_at\":5,\"user_id\":1}",
        "{\"event_name\":\"a\",\"created_at\":5,\"user_id\":1,\"metadata\":{\"a\":1,\"b\":2,\"c\":3,"
            + "\"B\":null,\"d_date\":4,\"e\":\"http://x_y.org/\",\"f\":\"https://1.2.3.4/\","
            + "\"g\":{\"url\":\"http://a.b\",\"value\":\"v\"},\"h\":{\"amount\":1,\"currency\":\"usd\"}}}");
  }

  /** A decision: the record's fields, or the rejection's reason, field and message. */
  private static String outcome(Decision decision) {
    try {
      ContactRecord r = decision.decide();
      return "accepted " + r;
    } catch (RecordRejectedException e) {
      return "rejected " + e.reason() + " " + e.field() + " " + e.getMessage();
    }
  }

  @FunctionalInterface
  private interface Decision {
    ContactRecord decide() throws RecordRejectedException;
  }
}
