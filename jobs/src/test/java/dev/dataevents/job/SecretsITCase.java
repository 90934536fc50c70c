package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dataevents.json.Json;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.OutputFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract (docs/contract.md): an access token, whatever its JSON type or the escaping of its
 * key, never reaches an output, a log, operator state or a checkpoint. A stream run as users run it
 * ({@code bin/data-events stream --auth}) reads hostile token lines, checkpoints, and is stopped;
 * then every byte it left (outputs, checkpoints, its temporary folder, stdout, stderr and Flink's
 * log) is searched for every token, as sent and as JSON would escape it.
 */
class SecretsITCase {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static final String WRITER = "tok-w-7Hq2Zx9LmN4pR8sV1cY6";
  private static final String READER = "tok-r-3Jd8Kf2Wq5Tz1Xb7Nm4P";
  private static final String UNKNOWN = "tok-u-9Pl4Ws6Ee2Rt8Yu1Io3A";
  private static final String NESTED = "tok-n-6Vb1Nm8Qw3Er5Ty7Ui2O";
  private static final String CASED = "tok-c-2Xc5Vb8Nm1Qa4Sd7Fg0H";

  /** Needs escaping in JSON: a quote, a backslash, and a character beyond ASCII. */
  private static final String QUOTED = "tok-q-\"quo\\te\u00e9-5Gh7Jk9Lz";

  private static final String NUMERIC = "918273645546372819";
  private static final String HUGE = huge();

  @TempDir Path tmp;

  private LauncherProcess stream;

  @AfterEach
  void stopStream() throws Exception {
    if (stream != null) {
      stream.close();
    }
  }

  private static String huge() {
    Random random = new Random(7);
    StringBuilder token = new StringBuilder("tok-h-");
    while (token.length() < 600_000) {
      token.append((char) ('a' + random.nextInt(26)));
    }
    return token.toString();
  }

  /** What no file may contain: each token (the huge one by its two ends) in its written forms. */
  private static Map<String, byte[]> needles() {
    Map<String, byte[]> needles = new LinkedHashMap<>();
    for (String token : List.of(WRITER, READER, UNKNOWN, NESTED, CASED, QUOTED, NUMERIC)) {
      needles.put(token, token.getBytes(StandardCharsets.UTF_8));
      String escaped = jsonString(token);
      needles.put("escaped " + token, escaped.getBytes(StandardCharsets.UTF_8));
    }
    needles.put("start of the huge token", HUGE.substring(0, 64).getBytes(StandardCharsets.UTF_8));
    needles.put(
        "end of the huge token",
        HUGE.substring(HUGE.length() - 64).getBytes(StandardCharsets.UTF_8));
    return needles;
  }

  private static String jsonString(String s) {
    try {
      String quoted = Json.mapper().writeValueAsString(s);
      return quoted.substring(1, quoted.length() - 1);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  private static String grant(String token, String scope) throws Exception {
    return "{\"sha256\":\""
        + sha256(token)
        + "\",\"workspace_id\":\"ws_1\",\"scopes\":[\""
        + scope
        + "\"]}";
  }

  private static String event(String name, long createdAt, String extra) {
    return "{\"workspace_id\":\"ws_1\",\"event_name\":\""
        + name
        + "\",\"created_at\":"
        + createdAt
        + ",\"user_id\":\"u1\""
        + extra
        + "}";
  }

  private static String line(String key, String tokenJson, String event) {
    return "{\"" + key + "\":" + tokenJson + ",\"event\":" + event + "}";
  }

  @Test
  void noTokenReachesAnyFileOrLogOfAStoppedStream() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    long recent = now - 3600;
    String e = event("placed-order", recent, "");
    String w = jsonString(WRITER);
    String q = "\"" + w + "\"";
    // line number -> expected outcome; bytes, since some lines hold invalid UTF-8
    Map<Integer, String> expected = new TreeMap<>();
    List<byte[]> lines = new ArrayList<>();
    // 1, 2: accepted, the key plain and escaped; their raw lines are kept in the stream's state
    add(lines, expected, "accepted", line("access_token", q, event("e1", recent, "")));
    add(lines, expected, "accepted", line("access\\u005ftoken", q, event("e2", recent, "")));
    // 3-5: the token as an array, an object, a number
    add(lines, expected, "unauthorized", line("access_token", "[" + q + "]", e));
    add(lines, expected, "unauthorized", line("access_token", "{\"t\":" + q + "}", e));
    add(lines, expected, "unauthorized", line("access_token", NUMERIC, e));
    // 6-9: not JSON: duplicate keys, cut short, broken before the token, an unquoted token
    add(
        lines,
        expected,
        "invalid_json",
        "{\"access_token\":"
            + q
            + ",\"access\\u005ftoken\":\""
            + READER
            + "\",\"event\":"
            + e
            + "}");
    add(lines, expected, "invalid_json", "{\"access\\u005ftoken\":" + q + ",\"event\":{");
    add(lines, expected, "invalid_json", "{\"event\":tru,\"access_token\":" + q + "}");
    add(lines, expected, "invalid_json", "{\"access_token\":" + WRITER + ",\"event\":{}}");
    // 10, 11: a copy of the token, or another token, inside the event
    add(
        lines,
        expected,
        "forbidden",
        line("access_token", q, event("e10", recent, ",\"metadata\":{\"note\":" + q + "}")));
    add(
        lines,
        expected,
        "forbidden",
        line(
            "access_token",
            q,
            event("e11", recent, ",\"metadata\":{\"access_token\":\"" + NESTED + "\"}")));
    // 12: a token that needs escaping, accepted
    add(
        lines,
        expected,
        "accepted",
        line("access_token", "\"" + jsonString(QUOTED) + "\"", event("e12", recent, "")));
    // 13: a key in another case is no access_token (401) but is redacted all the same
    add(lines, expected, "unauthorized", line("Access_Token", "\"" + CASED + "\"", e));
    // 14: a huge unknown token
    add(lines, expected, "unauthorized", line("access_token", "\"" + HUGE + "\"", e));
    // 15, 16: invalid UTF-8 before the line and inside the token
    addBytes(
        lines,
        expected,
        "invalid_json",
        concat(
            new byte[] {(byte) 0xFF}, line("access_token", q, e).getBytes(StandardCharsets.UTF_8)));
    addBytes(
        lines,
        expected,
        "unauthorized",
        concat(
            ("{\"access_token\":\"" + WRITER).getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xC3, (byte) 0x28},
            ("\",\"event\":" + e + "}").getBytes(StandardCharsets.UTF_8)));
    // 17, 18: no scope, unknown
    add(lines, expected, "forbidden", line("access_token", "\"" + READER + "\"", e));
    add(lines, expected, "unauthorized", line("access_token", "\"" + UNKNOWN + "\"", e));
    // 19: the token as the event's workspace
    add(
        lines,
        expected,
        "forbidden",
        line("access_token", q, "{\"workspace_id\":" + q + ",\"event_name\":\"x\"}"));
    // 20: too long; only the first 1024 characters are shown
    add(
        lines,
        expected,
        "line_too_long",
        line(
            "access_token", q, event("e20", recent, ",\"pad\":\"" + "p".repeat(1_100_000) + "\"")));
    // 21: rejected later, by the keyed stage, from the raw line the record carried
    add(
        lines,
        expected,
        "outside_dedup_horizon",
        line("access\\u005ftoken", q, event("e21", now - 200 * 86_400L, "")));
    // 22: a duplicate of line 1
    add(lines, expected, "duplicate", line("access_token", q, event("e1", recent, "")));
    // 23: a top-level member named by the token; the event itself is fine
    add(
        lines,
        expected,
        "accepted",
        "{" + q + ":1,\"access_token\":" + q + ",\"event\":" + event("e23", recent, "") + "}");

    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Path checkpoints = tmp.resolve("ck");
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
    Path logs = tmp.resolve("logs");
    Path log = logs.resolve("flink.log");
    Path tokens = tmp.resolve("tokens.json");
    Files.writeString(
        tokens,
        "{\"tokens\":["
            + grant(WRITER, "write_events")
            + ","
            + grant(READER, "read_events")
            + ","
            + grant(QUOTED, "write_events")
            + "]}");
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      file.write(l);
      file.write('\n');
    }
    Path staged = tmp.resolve("tokens.jsonl");
    Files.write(staged, file.toByteArray());
    Files.move(staged, in.resolve("tokens.jsonl"));

    stream =
        LauncherProcess.launch(
                "stream",
                "--watch",
                in.toString(),
                "--auth",
                tokens.toString(),
                "--output",
                out.toString(),
                "--checkpoint-dir",
                checkpoints.toString(),
                "--checkpoint-interval",
                "500ms",
                "--emit-interval",
                "500ms",
                "--parallelism",
                "2",
                "--log-file",
                log.toString())
            .env("DATA_EVENTS_JAVA_OPTS", "-Xmx1g -Djava.io.tmpdir=" + childTmp)
            .start(logs, "stream");
    long accepted = expected.values().stream().filter("accepted"::equals).count();
    JsonNode report = awaitReport(out, lines.size());
    // A few more checkpoints with everything in state, then stopped as users stop it.
    Thread.sleep(2_000);
    stream.stop(Duration.ofSeconds(30));

    // The search finds what it looks for: every token is in the input (the one that needs
    // escaping only escaped, as JSON has it).
    Map<String, byte[]> needles = needles();
    List<String> inInput =
        found(List.of(in), needles).stream().map(f -> f.substring(0, f.indexOf(" in "))).toList();
    assertThat(inInput)
        .as("tokens found in the input (the search works)")
        .containsExactlyInAnyOrderElementsOf(
            needles.keySet().stream().filter(n -> !n.equals(QUOTED)).toList());
    assertThat(checkpointFiles(checkpoints)).as("checkpoint files written").isNotEmpty();
    assertThat(Files.size(log)).as("Flink's log").isPositive();

    List<String> leaks =
        found(
            List.of(out, checkpoints, childTmp, log, stream.stdoutFile(), stream.stderrFile()),
            needles);
    assertThat(leaks)
        .as("tokens found in outputs, checkpoints, temporary files and logs")
        .isEmpty();

    // Each line had the outcome it should, and every rejection shows its line redacted.
    Map<Integer, String> actual = new TreeMap<>();
    for (String rejection : OutputFiles.lines(out, "rejected")) {
      JsonNode node = Json.mapper().readTree(rejection);
      actual.put(node.path("line").asInt(), node.path("reason").asText());
      assertThat(node.path("raw").asText()).contains("[redacted]");
    }
    Map<Integer, String> rejected = new TreeMap<>(expected);
    rejected.values().removeIf(v -> v.equals("accepted") || v.equals("duplicate"));
    assertThat(actual).isEqualTo(rejected);
    assertThat(OutputFiles.lines(out, "events")).hasSize((int) accepted);
    assertThat(report.path("accepted").asLong()).isEqualTo(accepted);
    assertThat(report.path("duplicates").asLong()).isEqualTo(1);
  }

  private static void add(
      List<byte[]> lines, Map<Integer, String> expected, String outcome, String line) {
    addBytes(lines, expected, outcome, line.getBytes(StandardCharsets.UTF_8));
  }

  private static void addBytes(
      List<byte[]> lines, Map<Integer, String> expected, String outcome, byte[] line) {
    lines.add(line);
    expected.put(lines.size(), outcome);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** The stream's report once its newest checkpoint has counted every line. */
  private JsonNode awaitReport(Path out, int inputs) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    JsonNode report = null;
    while (System.nanoTime() < deadline) {
      if (!stream.isAlive()) {
        fail("the stream ended:\n%s", stream.output());
      }
      Path file = out.resolve("report.json");
      if (Files.isRegularFile(file)) {
        try {
          report = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          report = null; // replaced while read
        }
        if (report != null && report.path("input_records").asLong() == inputs) {
          return report;
        }
      }
      Thread.sleep(200);
    }
    return fail("no complete report within %s; last: %s\n%s", DEADLINE, report, stream.output());
  }

  private static List<Path> checkpointFiles(Path checkpoints) throws IOException {
    try (Stream<Path> walk = Files.walk(checkpoints)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("chk-")).toList();
    }
  }

  /** "needle in file" for every needle found in any file below the roots. */
  private static List<String> found(List<Path> roots, Map<String, byte[]> needles)
      throws IOException {
    List<String> found = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
          byte[] bytes = Files.readAllBytes(file);
          needles.forEach(
              (name, needle) -> {
                if (indexOf(bytes, needle) >= 0) {
                  found.add(name + " in " + file);
                }
              });
        }
      }
    }
    return found.stream().distinct().toList();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
