package dev.dataevents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.io.LatestSnapshots;
import dev.dataevents.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * What an output holds, in the terms that a stream and a backfill of the same lines must agree on:
 * the identities of the accepted events (and those committed more than once), each contact's
 * summary (count, first, last per event name) and the rejections (file:line:reason).
 *
 * @param identities distinct identities in events/
 * @param duplicateIdentities identities found more than once in events/ ("identity xN")
 * @param summaries contact -> event name -> "count first last"
 * @param rejections file name, line and reason of each rejection
 */
public record StreamResults(
    Set<String> identities,
    List<String> duplicateIdentities,
    Map<String, Map<String, String>> summaries,
    List<String> rejections) {

  /** A backfill's output (one summary per contact). */
  public static StreamResults ofBackfill(Path dir) throws IOException {
    return of(dir, OutputFiles.lines(dir, "summaries"));
  }

  /**
   * A stream's committed output (each contact's latest snapshot), read again when a part file moved
   * while it was listed.
   */
  public static StreamResults ofStream(Path dir) throws Exception {
    return retrying(() -> of(dir, LatestSnapshots.read(dir.resolve("summaries"))));
  }

  /** Whether a stream's results are those of the backfill (and nothing was committed twice). */
  public boolean matches(StreamResults expected) {
    return duplicateIdentities.isEmpty()
        && identities.equals(expected.identities)
        && summaries.equals(expected.summaries)
        && rejections.stream()
            .sorted()
            .toList()
            .equals(expected.rejections.stream().sorted().toList());
  }

  /** Asserts {@link #matches}, showing the first few differences of each kind. */
  public void assertMatches(StreamResults expected, String output) {
    assertNone(duplicateIdentities, "identities committed more than once to " + output);
    assertSameElements(identities, expected.identities, "accepted event identities");
    assertSameElements(
        summaries.keySet(), expected.summaries.keySet(), "contacts with a summary (latest)");
    List<String> differing =
        expected.summaries.keySet().stream()
            .filter(
                c ->
                    summaries.containsKey(c) && !summaries.get(c).equals(expected.summaries.get(c)))
            .map(
                c ->
                    c
                        + ":\n  stream:   "
                        + summaries.get(c)
                        + "\n  backfill: "
                        + expected.summaries.get(c))
            .toList();
    assertNone(differing, "contacts whose latest summary differs from the backfill's");
    assertSameElements(rejections, expected.rejections, "rejections (file:line:reason)");
  }

  private static StreamResults of(Path dir, List<String> summaryLines) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : OutputFiles.lines(dir, "events")) {
      counts.merge(identity(Json.mapper().readTree(line)), 1, Integer::sum);
    }
    List<String> twice =
        counts.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(e -> e.getKey() + " x" + e.getValue())
            .toList();
    Map<String, Map<String, String>> summaries = new TreeMap<>();
    for (String line : summaryLines) {
      JsonNode node = Json.mapper().readTree(line);
      Map<String, String> byName = new TreeMap<>();
      for (JsonNode e : node.path("events")) {
        byName.put(
            e.path("name").asText(),
            "count="
                + e.path("count").asLong()
                + " first="
                + e.path("first").asText()
                + " last="
                + e.path("last").asText());
      }
      String contact = contactOf(node, "intercom_user_id");
      if (summaries.put(contact, byName) != null) {
        throw new AssertionError("two summaries of " + contact + " in " + dir);
      }
    }
    List<String> rejections = new ArrayList<>();
    for (String line : OutputFiles.lines(dir, "rejected")) {
      JsonNode node = Json.mapper().readTree(line);
      rejections.add(
          Path.of(node.path("source").asText()).getFileName()
              + ":"
              + node.path("line").asLong()
              + ":"
              + node.path("reason").asText());
    }
    return new StreamResults(counts.keySet(), twice, summaries, rejections);
  }

  /** (workspace, contact key, event name, created_at) of an accepted event line. */
  private static String identity(JsonNode event) {
    return contactOf(event, "id")
        + " | "
        + event.path("event_name").asText()
        + " | "
        + event.path("created_at").asLong();
  }

  /** Workspace and contact key: user_id, else id, else the lower-cased email. */
  private static String contactOf(JsonNode node, String idField) {
    String workspace = node.path("workspace_id").asText();
    if (node.hasNonNull("user_id")) {
      return workspace + " | user_id:" + node.get("user_id").asText();
    }
    if (node.hasNonNull(idField)) {
      return workspace + " | id:" + node.get(idField).asText();
    }
    return workspace + " | email:" + node.path("email").asText("").toLowerCase(Locale.ROOT);
  }

  /** Part files are renamed while a stream runs: a listing may name one that just moved. */
  private static <T> T retrying(Callable<T> read) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.call();
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 5) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  private static void assertNone(List<String> found, String what) {
    assertThat(found.size())
        .as("%d %s, e.g. %s", found.size(), what, found.subList(0, Math.min(10, found.size())))
        .isZero();
  }

  /** Equal as multisets; a difference is shown by its first few elements, not in full. */
  private static void assertSameElements(
      Collection<String> actual, Collection<String> expected, String what) {
    Map<String, Integer> surplus = new TreeMap<>();
    actual.forEach(s -> surplus.merge(s, 1, Integer::sum));
    expected.forEach(s -> surplus.merge(s, -1, Integer::sum));
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    surplus.forEach(
        (element, n) -> {
          for (int i = 0; i < Math.abs(n); i++) {
            (n < 0 ? missing : extra).add(element);
          }
        });
    assertNone(
        missing, what + " expected but missing (" + actual.size() + " vs " + expected.size() + ")");
    assertNone(extra, what + " found but not expected");
  }
}
