package dev.dataevents.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.json.PlainJsonReader;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.LineMutations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain reader ({@code EventScanner.plain}, without Jackson) either gives up on a line or scans
 * it exactly as Jackson's scan does: the same fields, as the same kinds of node with the same
 * values, and the same metadata kept. It must never accept a line that Jackson refuses.
 */
class PlainScanTest {
  private static final String NOISE =
      "{}[]\",:\\/ 0123456789.eE+-nulltruefalseubfnrt\u0000\u001f\t\r\n\f\u000b\u00a0\u00e9"
          + "\uD83D\uDE80\uDE80\uFEFF\u0663'#";

  /** One reader for many lines, as the validator keeps one: each line starts afresh. */
  private static final PlainJsonReader READER = new PlainJsonReader();

  private static final MetadataRules.Selection SELECTION = new MetadataRules.Selection(10);

  @TempDir Path dir;

  @Test
  void everyLineThePlainReaderReadsIsReadAsJacksonReadsIt() throws Exception {
    List<String> lines =
        LineMutations.generatedAndDamaged(
            dir.resolve("events.jsonl"), 17, tricky(), new Random(9), NOISE, 2, 4);
    int n = lines.size() / 6; // each line, four damaged copies and a cut
    int plain = 0;
    for (int maxKeys : new int[] {10, 0, 2}) {
      for (String line : lines) {
        EventScanner.Scan fast = EventScanner.plain(line, maxKeys, READER, SELECTION);
        if (fast == null) {
          continue;
        }
        plain++;
        EventScanner.Scan slow = EventScanner.jackson(line, maxKeys);
        assertThat(slow.error()).as("Jackson refuses %s", line).isNull();
        assertThat(slow.notAnObject()).as("not an object: %s", line).isFalse();
        assertThat(describe(fast)).as("line %s", line).isEqualTo(describe(slow));
      }
    }
    // The comparison means something only if the plain reader reads many lines, mutated ones too.
    assertThat(plain).isGreaterThan(3 * n);
  }

  @Test
  void itReadsTheLinesOfAnExport() throws Exception {
    Path file = dir.resolve("events.jsonl");
    EventGenerator.write(file, 2000, 3);
    int valid = 0;
    int plain = 0;
    for (String line : Files.readAllLines(file)) {
      EventScanner.Scan slow = EventScanner.jackson(line, 10);
      if (slow.error() == null && !slow.notAnObject()) {
        valid++;
        if (EventScanner.plain(line, 10, READER, SELECTION) != null) {
          plain++;
        }
      }
    }
    assertThat(plain).isEqualTo(valid);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"event_name\":\"a\",\"x\":{\"k\":1,\"k\":2}}", // a duplicate key in a skipped value
        "{\"event_name\":\"a\",\"metadata\":{\"k\":[{\"u\":1,\"u\":1}]}}",
        "{\"event_name\":\"a\",\"event_name\":\"a\"}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":+1}",
        "{\"a\":1e}",
        "{\"a\":-}",
        "{\"a\":NaN}",
        "{\"a\":truex}",
        "{\"a\":\"\\u\u0663000\"}", // not an ASCII hex digit
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\t\"}", // a raw control character
        "{\"a\":1,}",
        "{\"a\":[1,]}",
        "{'a':1}",
        "{\"a\":1} x",
        "{\"a\":1}{}",
        "\uFEFF{\"a\":1}",
        "{\"a\":1\u00a0}",
        "[]",
        ""
      })
  void itGivesUpOnWhatJacksonRefusesOrWordsDifferently(String line) {
    assertThat(EventScanner.plain(line, 10, READER, SELECTION)).isNull();
  }

  @Test
  void itGivesUpOnDeepNestingAndLargeObjectsAndLeavesThemToJackson() {
    String deep = "[".repeat(40) + "]".repeat(40);
    assertThat(EventScanner.plain("{\"x\":" + deep + "}", 10, READER, SELECTION)).isNull();
    StringBuilder wide = new StringBuilder("{\"metadata\":{");
    for (int i = 0; i < 100; i++) {
      wide.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    assertThat(EventScanner.plain(wide.append("}}").toString(), 10, READER, SELECTION)).isNull();
    assertThat(EventScanner.jackson(wide.toString(), 10).error()).isNull();
  }

  private static List<String> tricky() {
    List<String> out = new ArrayList<>();
    String head =
        "{\"event_name\":\"Ev\",\"created_at\":1700000000,\"user_id\":\"u\",\"metadata\":";
    for (String number :
        new String[] {
          "0",
          "-0",
          "-0.0",
          "0.5e-3",
          "1E400",
          "-1e-400",
          "2147483647",
          "2147483648",
          "-2147483648",
          "-2147483649",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775808",
          "-9223372036854775809",
          "12345678901234567890",
          "123456789012345678901",
          "1.0",
          "1e5",
          "1E+5",
          "10000000000000000000000000000000000000000.5"
        }) {
      out.add(head + "{\"n\":" + number + ",\"m\":[" + number + "]}}");
      out.add("{\"created_at\":" + number + ",\"event_name\":\"e\",\"id\":" + number + "}");
    }
    for (String text :
        new String[] {
          "",
          "\\\"",
          "\\\\",
          "\\/",
          "\\b\\f\\n\\r\\t",
          "\\u0041\\u00e9\\uD83D\\uDE80",
          "\\uDE80",
          "\\u0000",
          "caf\u00e9",
          "\uD83D",
          "\u007f",
          "http://x.org/a?b=c",
          "\\u004A\\u004a"
        }) {
      out.add(head + "{\"s\":\"" + text + "\",\"" + text + "\":\"v\"}}");
      out.add("{\"event_name\":\"" + text + "\",\"email\":\"" + text + "\"}");
    }
    out.add(" \t\r\n{ \"event_name\" : \"a\" , \"metadata\" : { } } \r\n ");
    out.add(head + "null}");
    out.add(head + "[1,2]}");
    out.add(head + "\"text\"}");
    out.add(head + "{\"a\":null,\"A\":1,\"a\":2}}");
    out.add(head + "{\"u\":{\"url\":\"http://a.b\",\"value\":\"v\"},\"m\":{\"amount\":1}}}");
    out.add("{\"workspace_id\":null,\"event_name\":null,\"created_at\":null,\"user_id\":null}");
    out.add("{\"x\":{\"y\":[true,false,null,{\"z\":[]}]},\"event_name\":\"a\"}");
    out.add("{\"x\":" + "[".repeat(31) + "]".repeat(31) + "}");
    out.add("{\"x\":" + "[".repeat(32) + "]".repeat(32) + "}");
    return out;
  }

  /** Every field as its kind of node and value, and the metadata as the rules keep it. */
  private static String describe(EventScanner.Scan scan) {
    return String.join(
        " | ",
        node(scan.workspaceId),
        node(scan.eventName),
        node(scan.createdAt),
        node(scan.userId),
        node(scan.id),
        node(scan.email),
        node(scan.metadataNotObject),
        metadata(scan.metadata));
  }

  private static String node(JsonNode node) {
    if (node == null) {
      return "absent";
    }
    StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
    if (node.isObject()) {
      out.append('{');
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.append(field.getKey()).append('=').append(node(field.getValue())).append(';');
      }
      return out.append('}').toString();
    }
    if (node.isArray()) {
      out.append('[');
      for (JsonNode element : node) {
        out.append(node(element)).append(';');
      }
      return out.append(']').toString();
    }
    if (node.isDouble()) {
      return out.append(':').append(Double.doubleToRawLongBits(node.doubleValue())).toString();
    }
    return out.append(':').append(node.isTextual() ? node.textValue() : node.toString()).toString();
  }

  private static String metadata(MetadataRules.Selection selection) {
    if (selection == null) {
      return "no metadata object";
    }
    try {
      MetadataRules.KeptMetadata kept = selection.validate();
      return "kept " + kept.json() + " " + kept.keysDropped() + " " + kept.valuesTruncated();
    } catch (RecordRejectedException e) {
      return "rejected " + e.reason() + " " + e.field() + " " + e.getMessage();
    }
  }
}
