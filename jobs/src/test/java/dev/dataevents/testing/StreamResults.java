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
import java.util.function.Function;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * What a run committed, in the terms a stream and a backfill of the same records can be compared
 * in: the identities of accepted events (a stream keeps the first copy to arrive, a backfill the
 * smallest input position, so the copies may differ), those committed more than once, each
 * contact's summary (count, first, last per event name) and one key per rejection.
 *
 * @param identities (workspace, contact, event name, created_at) of the accepted events
 * @param duplicateIdentities identities found more than once in {@code events/}, with their count
 * @param summaries contact -> event name -> count, first and last
 * @param rejections one key per rejection, as the caller's function makes it
 */
public record StreamResults(
    Set<String> identities,
    List<String> duplicateIdentities,
    Map<String, Map<String, String>> summaries,
    List<String> rejections) {

  /** A rejection's key when inputs are files: the file's name, the line and the reason. */
  public static final Function<JsonNode, String> FILE_LINE_REASON =
      node ->
          Path.of(node.path("source").asText()).getFileName()
              + ":"
              + node.path("line").asLong()
              + ":"
              + node.path("reason").asText();

  /** {@link #ofStream(Path, Function)} with rejections keyed by file, line and reason. */
  public static StreamResults ofStream(Path output) throws Exception {
    return ofStream(output, FILE_LINE_REASON);
  }

  /** {@link #ofBackfill(Path, Function)} with rejections keyed by file, line and reason. */
  public static StreamResults ofBackfill(Path output) throws Exception {
    return ofBackfill(output, FILE_LINE_REASON);
  }

  /** A stream's committed results: the latest snapshot of each contact's summary. */
  public static StreamResults ofStream(Path output, Function<JsonNode, String> rejectionKey)
      throws Exception {
    return retrying(
        () -> of(output, LatestSnapshots.read(output.resolve("summaries")), rejectionKey));
  }

  /** A bounded run's results. */
  public static StreamResults ofBackfill(Path output, Function<JsonNode, String> rejectionKey)
      throws Exception {
    return of(output, OutputFiles.lines(output, "summaries"), rejectionKey);
  }

  /** Whether the two hold the same results and nothing was committed twice. */
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
    assertSameElements(rejections, expected.rejections, "rejections");
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

  /** The distinct accepted identities committed so far under {@code output}. */
  public static int committedIdentities(Path output) throws Exception {
    return retrying(
        () ->
            identityList(OutputFiles.lines(output, "events")).stream().distinct().toList().size());
  }

  private static StreamResults of(
      Path dir, List<String> summaryLines, Function<JsonNode, String> rejectionKey)
      throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    for (String identity : identityList(OutputFiles.lines(dir, "events"))) {
      counts.merge(identity, 1, Integer::sum);
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
      rejections.add(rejectionKey.apply(Json.mapper().readTree(line)));
    }
    return new StreamResults(counts.keySet(), twice, summaries, rejections);
  }

  /** (workspace, contact key, event name, created_at) of each accepted event line. */
  private static List<String> identityList(List<String> eventLines) throws IOException {
    List<String> identities = new ArrayList<>();
    for (String line : eventLines) {
      JsonNode node = Json.mapper().readTree(line);
      identities.add(
          contactOf(node, "id")
              + " | "
              + node.path("event_name").asText()
              + " | "
              + node.path("created_at").asLong());
    }
    return identities;
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
  public static <T> T retrying(Callable<T> read) throws Exception {
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
}
