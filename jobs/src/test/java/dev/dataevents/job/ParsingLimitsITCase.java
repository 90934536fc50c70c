package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.json.Json;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.OutputFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory bounded by the line limit (the contract: every hostile line becomes a rejection): a
 * backfill run as users run it ({@code bin/data-events}, the launcher's default heap) over lines of
 * nearly a mebibyte that ask for a million nodes or a million-digit conversion finishes with the
 * right rejections, and its report adds up.
 */
class ParsingLimitsITCase {
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final String MILLION_DIGITS = "7" + "1".repeat(999_999);

  @TempDir Path tmp;

  private static String event(String createdAt, String userId, String extra) {
    return "{\"workspace_id\":\"ws_1\",\"event_name\":\"placed-order\",\"created_at\":"
        + createdAt
        + ",\"user_id\":"
        + userId
        + extra
        + "}";
  }

  @Test
  void hostileLinesOfAMebibyteAreRejectedOrKeptAndTheRunFinishes() throws Exception {
    // line number -> expected reason, or "accepted"
    Map<Integer, String> expected = new TreeMap<>();
    List<String> lines = new ArrayList<>();
    add(lines, expected, "accepted", event("1389913941", "\"u1\"", ""));
    add(lines, expected, "invalid_json", "[".repeat(1_000_000));
    add(lines, expected, "invalid_json", "{\"a\":".repeat(150_000) + "1" + "}".repeat(150_000));
    // At least 100000000000, however many digits: it "looks like milliseconds".
    add(lines, expected, "created_at_in_milliseconds", event(MILLION_DIGITS, "\"u1\"", ""));
    add(lines, expected, "invalid_created_at", event("-" + MILLION_DIGITS, "\"u1\"", ""));
    add(lines, expected, "invalid_identifier", event("1389913941", MILLION_DIGITS, ""));
    // A metadata Number of a million digits is a finite JSON number: kept, written as sent.
    add(
        lines,
        expected,
        "accepted",
        event("1389913942", "\"u2\"", ",\"metadata\":{\"big\":" + MILLION_DIGITS + "}"));
    add(
        lines,
        expected,
        "accepted",
        event("1389913943", "\"u3\"", ",\"metadata\":{\"f\":0." + MILLION_DIGITS + "}"));
    add(
        lines,
        expected,
        "invalid_metadata_value",
        event("1389913944", "\"u4\"", ",\"metadata\":{\"paid_date\":" + MILLION_DIGITS + "}"));
    add(lines, expected, "accepted", event("1389913945", "1" + "2".repeat(254), ""));

    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Files.write(in.resolve("hostile.jsonl"), lines, StandardCharsets.UTF_8);
    try (LauncherProcess backfill =
        LauncherProcess.start(
            tmp.resolve("logs"),
            "backfill",
            "backfill",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--log-file",
            tmp.resolve("logs").resolve("flink.log").toString())) {
      LauncherProcess.Result run = backfill.await(DEADLINE);
      assertThat(run.exitCode()).as("exit code of the backfill:\n%s", backfill.output()).isZero();
    }

    JsonNode report =
        Json.mapper()
            .readTree(Files.readString(out.resolve("report.json"), StandardCharsets.UTF_8));
    long accepted = expected.values().stream().filter("accepted"::equals).count();
    assertThat(report.path("input_records").asLong()).isEqualTo(lines.size());
    assertThat(report.path("accepted").asLong()).isEqualTo(accepted);
    assertThat(report.path("rejected").asLong()).isEqualTo(lines.size() - accepted);
    assertThat(report.path("input_records").asLong())
        .isEqualTo(
            report.path("accepted").asLong()
                + report.path("duplicates").asLong()
                + report.path("rejected").asLong());

    Map<Integer, String> actual = new TreeMap<>();
    for (String rejection : OutputFiles.lines(out, "rejected")) {
      JsonNode node = Json.mapper().readTree(rejection);
      actual.put(node.path("line").asInt(), node.path("reason").asText());
      assertThat(node.path("message").asText()).hasSizeLessThan(300);
    }
    Map<Integer, String> rejected = new TreeMap<>(expected);
    rejected.values().removeIf("accepted"::equals);
    assertThat(actual).isEqualTo(rejected);

    List<String> events = OutputFiles.lines(out, "events");
    assertThat(events).hasSize((int) accepted);
    assertThat(events).anySatisfy(e -> assertThat(e).contains("{\"big\":" + MILLION_DIGITS + "}"));
    assertThat(events).anySatisfy(e -> assertThat(e).contains("{\"f\":0.7111111111111111}"));
    assertThat(events)
        .anySatisfy(e -> assertThat(e).contains("\"user_id\":\"1" + "2".repeat(254) + "\""));
  }

  private static void add(
      List<String> lines, Map<Integer, String> expected, String outcome, String line) {
    lines.add(line);
    expected.put(lines.size(), outcome);
  }
}
