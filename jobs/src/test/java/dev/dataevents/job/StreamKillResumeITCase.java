package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dataevents.io.LatestSnapshots;
import dev.dataevents.json.Json;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.OutputFiles;
import dev.dataevents.testing.ReportFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream job as users run it, in its own JVM: killed with SIGKILL while it works and started
 * again with the same command, it resumes from its newest completed checkpoint, and what it has
 * committed in the end is what a backfill of the same files gives: every accepted event exactly
 * once, the same summaries and the same rejections.
 */
class StreamKillResumeITCase {
  /** For the backfill that gives the expected results (the stream runs in its own JVM). */
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final Duration START_DEADLINE = Duration.ofSeconds(30);
  private static final Duration COMMIT_DEADLINE = Duration.ofSeconds(60);
  private static final int LINES_PER_FILE = 3000;
  private static final int RESENT_LINES = 300;

  @TempDir Path tmp;

  private Path watch;
  private Path output;
  private final List<Child> children = new ArrayList<>();

  /** One run of the stream command in a child JVM. */
  private record Child(int number, Process process, Path stdout, Path stderr, Path log) {}

  /** What a backfill of the same input wrote, as the stream must end up with it. */
  private record Results(
      Set<String> identities,
      List<String> duplicateIdentities,
      Map<String, Map<String, String>> summaries,
      List<String> rejections) {}

  @AfterEach
  void killChildren() {
    children.forEach(StreamKillResumeITCase::kill);
  }

  @Test
  void killedAndRestartedTheStreamWritesEveryEventOnceAndTheSummariesOfABackfill()
      throws Exception {
    Path staging = tmp.resolve("staging");
    Files.createDirectories(staging);
    Path a = staging.resolve("a.jsonl");
    Path b = staging.resolve("b.jsonl");
    EventGenerator first = EventGenerator.write(a, LINES_PER_FILE, 11);
    EventGenerator.write(b, LINES_PER_FILE, 12);
    // The second file resends the start of the first (events, duplicates and bad lines): dedup
    // must hold across the kills, from restored state.
    Files.write(
        b,
        Files.readAllLines(a, StandardCharsets.UTF_8).subList(0, RESENT_LINES),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    Path backfillOut = tmp.resolve("backfill");
    RunReport backfill = Backfills.of(staging).run(backfillOut);
    Results expected = results(backfillOut, OutputFiles.lines(backfillOut, "summaries"));
    assertThat(expected.duplicateIdentities()).as("the backfill's duplicate events").isEmpty();
    assertThat(expected.identities()).hasSize((int) backfill.count(Counters.ACCEPTED));
    assertThat(expected.rejections()).hasSize((int) backfill.count(Counters.REJECTED)).isNotEmpty();

    watch = tmp.resolve("in");
    output = tmp.resolve("out");
    Files.createDirectories(watch);
    try {
      // 1. Fresh start; killed as soon as the first events are committed.
      Child run1 = start();
      assertThat(startLine(run1)).contains("starting fresh");
      moveIn(a);
      int atFirstKill = awaitCommittedEvents(run1, n -> n > 0);
      kill(run1);

      // 2. Resumed; the second file arrives; killed once some of its events are committed (more
      // distinct events than the first file has).
      Child run2 = start();
      assertThat(startLine(run2)).contains("resuming from");
      moveIn(b);
      int atSecondKill = awaitCommittedEvents(run2, n -> n > first.identities.size());
      kill(run2);

      // 3. Resumed again; runs until everything is committed.
      Child run3 = start();
      assertThat(startLine(run3)).contains("resuming from");
      long waitStart = System.nanoTime();
      Results actual = awaitResults(run3, expected);
      long waitedMillis = (System.nanoTime() - waitStart) / 1_000_000;
      boolean matched = matches(actual, expected);
      // A few more checkpoints: nothing may be committed twice later.
      Thread.sleep(2_000);
      Results settled = retrying(this::streamResults);
      // The stream's report.json follows its newest completed checkpoint; its counts went on across
      // the kills.
      RunReport report = awaitReport(run3, backfill);
      kill(run3);
      assertThat(report.balanced()).as("stream report balanced").isTrue();
      assertThat(report.count(Counters.INPUT_RECORDS))
          .isEqualTo(backfill.count(Counters.INPUT_RECORDS));
      assertThat(report.count(Counters.ACCEPTED)).isEqualTo(backfill.count(Counters.ACCEPTED));
      assertThat(report.count(Counters.DUPLICATES)).isEqualTo(backfill.count(Counters.DUPLICATES));
      assertThat(report.rejectedByReason()).isEqualTo(backfill.rejectedByReason());
      System.out.printf(
          Locale.ROOT,
          "stream kill/resume: committed events at kill 1: %d, at kill 2: %d, expected %d;"
              + " run 3 %s after %d ms%n",
          atFirstKill,
          atSecondKill,
          expected.identities().size(),
          matched ? "matched the backfill" : "did not match the backfill",
          waitedMillis);

      for (Results r : List.of(actual, settled)) {
        // Exactly once: no identity twice in events/, across three runs and two kills.
        assertNone(r.duplicateIdentities(), "identities committed more than once to " + output);
        // The copy that wins may differ (a stream keeps the first to arrive, a backfill the
        // smallest input position) and copies may carry other metadata: compare identities.
        assertSameElements(r.identities(), expected.identities(), "accepted event identities");
        assertSameSummaries(r.summaries(), expected.summaries());
        // Each bad line rejected once, named by its file and line.
        assertSameElements(r.rejections(), expected.rejections(), "rejections (file:line:reason)");
      }
    } catch (Throwable e) {
      System.err.println(diagnostics());
      throw e;
    }
  }

  // --- the child process ---

  private Child start() throws IOException {
    int number = children.size() + 1;
    // What a killed mini-cluster leaves behind stays in the test's folder.
    Path childTmp = Files.createDirectories(tmp.resolve("run-" + number + "-tmp"));
    Path stdout = tmp.resolve("run-" + number + ".out");
    Path stderr = tmp.resolve("run-" + number + ".err");
    Path log = tmp.resolve("run-" + number + ".log");
    Process process =
        CommandProcess.start(
            tmp,
            childTmp,
            stdout,
            stderr,
            "stream",
            "--watch",
            watch.toString(),
            "--output",
            output.toString(),
            "--checkpoint-interval",
            "500ms",
            "--emit-interval",
            "500ms",
            "--parallelism",
            "2",
            // The generator's events reach 400 days back; a backfill takes them all.
            "--dedup-horizon",
            "3650d",
            // Its events end at Records.AS_OF; keep them accepted whatever this machine's clock.
            "--max-future",
            "3650d",
            "--log-file",
            log.toString());
    Child child = new Child(number, process, stdout, stderr, log);
    children.add(child);
    return child;
  }

  /** SIGKILL (Process.destroyForcibly on Linux) to the child and anything it started. */
  private static void kill(Child child) {
    CommandProcess.kill(child.process());
  }

  /** The command's first line about the run ("stream: watching ... resuming from ..."). */
  private String startLine(Child child) throws Exception {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(child.stderr(), StandardCharsets.UTF_8)) {
        if (line.startsWith("stream: watching")) {
          return line;
        }
      }
      assertAlive(child);
      Thread.sleep(50);
    }
    return fail("run %d printed no start line within %s", child.number(), START_DEADLINE);
  }

  /** Moves a file into the watched folder at once, as users are told to. */
  private void moveIn(Path file) throws IOException {
    Path hidden = watch.resolve("." + file.getFileName() + ".copying");
    Files.copy(file, hidden);
    Files.move(hidden, watch.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Waits until the distinct committed events satisfy {@code until}; returns their number. */
  private int awaitCommittedEvents(Child child, IntPredicate until) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      int committed = retrying(() -> identities(OutputFiles.lines(output, "events")).size());
      if (until.test(committed)) {
        return committed;
      }
      assertAlive(child);
      Thread.sleep(20);
    }
    return fail(
        "run %d: the committed events did not grow as expected within %s",
        child.number(), COMMIT_DEADLINE);
  }

  /**
   * Waits until the stream's committed results equal the backfill's: snapshots come one emit
   * interval after a change and become visible at the next checkpoint. Returns the last results
   * read, matching or not (the caller's assertions tell what differs).
   */
  private Results awaitResults(Child child, Results expected) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    Results actual = retrying(this::streamResults);
    while (System.nanoTime() < deadline && !matches(actual, expected)) {
      assertAlive(child);
      Thread.sleep(200);
      actual = retrying(this::streamResults);
    }
    return actual;
  }

  private static boolean matches(Results actual, Results expected) {
    return actual.duplicateIdentities().isEmpty()
        && actual.identities().equals(expected.identities())
        && actual.summaries().equals(expected.summaries())
        && sorted(actual.rejections()).equals(sorted(expected.rejections()));
  }

  /**
   * The report.json the running stream writes after its checkpoints, once its counts cover the
   * whole input (or the last one read).
   */
  private RunReport awaitReport(Child child, RunReport backfill) throws Exception {
    long deadline = System.nanoTime() + COMMIT_DEADLINE.toNanos();
    RunReport report = null;
    while (System.nanoTime() < deadline) {
      report = ReportFiles.read(output).orElse(null);
      if (report != null
          && report.count(Counters.INPUT_RECORDS) == backfill.count(Counters.INPUT_RECORDS)) {
        return report;
      }
      assertAlive(child);
      Thread.sleep(200);
    }
    assertThat(report).as("a stream report").isNotNull();
    return report;
  }

  private static void assertAlive(Child child) {
    if (!child.process().isAlive()) {
      fail("run %d ended with exit code %d", child.number(), child.process().exitValue());
    }
  }

  /** Part files are renamed while the child runs: a listing may name one that just moved. */
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

  // --- reading outputs ---

  private Results streamResults() throws IOException {
    return results(output, LatestSnapshots.read(output.resolve("summaries")));
  }

  private static Results results(Path dir, List<String> summaryLines) throws IOException {
    List<String> events = OutputFiles.lines(dir, "events");
    Map<String, Integer> counts = new TreeMap<>();
    for (String identity : identityList(events)) {
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
      Map<String, String> previous = summaries.put(contact, byName);
      if (previous != null) {
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
    return new Results(counts.keySet(), twice, summaries, rejections);
  }

  private static Set<String> identities(List<String> eventLines) throws IOException {
    return new HashSet<>(identityList(eventLines));
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

  private static void assertSameSummaries(
      Map<String, Map<String, String>> actual, Map<String, Map<String, String>> expected) {
    assertSameElements(
        actual.keySet(), expected.keySet(), "contacts with a summary (latest snapshots)");
    List<String> differing =
        expected.keySet().stream()
            .filter(c -> actual.containsKey(c) && !actual.get(c).equals(expected.get(c)))
            .map(c -> c + ":\n  stream:   " + actual.get(c) + "\n  backfill: " + expected.get(c))
            .toList();
    assertNone(
        differing,
        "contacts of "
            + expected.size()
            + " whose latest summary snapshot differs from the backfill's summary");
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().collect(Collectors.toList());
  }

  private static void assertNone(List<String> found, String what) {
    assertThat(found.size())
        .as("%d %s, e.g. %s", found.size(), what, found.subList(0, Math.min(10, found.size())))
        .isZero();
  }

  /** Equal as multisets; a difference is shown by its first few elements, not in full. */
  private static void assertSameElements(
      Collection<String> stream, Collection<String> backfill, String what) {
    Map<String, Integer> surplus = new TreeMap<>();
    stream.forEach(s -> surplus.merge(s, 1, Integer::sum));
    backfill.forEach(s -> surplus.merge(s, -1, Integer::sum));
    List<String> missing = new ArrayList<>();
    List<String> extra = new ArrayList<>();
    surplus.forEach(
        (element, n) -> {
          for (int i = 0; i < Math.abs(n); i++) {
            (n < 0 ? missing : extra).add(element);
          }
        });
    assertNone(
        missing,
        what
            + " of the backfill missing from the stream ("
            + stream.size()
            + " vs "
            + backfill.size()
            + ")");
    assertNone(extra, what + " of the stream that the backfill does not have");
  }

  private String diagnostics() {
    StringBuilder out = new StringBuilder();
    for (Child child : children) {
      out.append("==== run ").append(child.number());
      out.append(
          child.process().isAlive()
              ? " (alive)"
              : " (exit code " + child.process().exitValue() + ")");
      out.append("\n---- stdout:\n").append(read(child.stdout()));
      out.append("---- stderr:\n").append(read(child.stderr()));
      List<String> log = read(child.log()).lines().toList();
      List<String> problems =
          log.stream()
              .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
              .limit(40)
              .toList();
      out.append("---- log ").append(child.log()).append(", warnings and errors:\n");
      problems.forEach(l -> out.append(l).append('\n'));
      out.append("---- log, last 30 lines:\n");
      log.subList(Math.max(0, log.size() - 30), log.size())
          .forEach(l -> out.append(l).append('\n'));
    }
    return out.toString();
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")\n";
    }
  }
}
