package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dataevents.json.Json;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.FolderSnapshot;
import dev.dataevents.testing.LauncherProcess;
import dev.dataevents.testing.LocalCluster;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.Records;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.StreamArgs;
import dev.dataevents.testing.StreamResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a real multi-process Flink cluster: a JobManager and two TaskManagers started by
 * {@code bin/local-cluster} as separate JVMs, jobs submitted by {@code bin/data-events
 * --jobmanager} and by Flink's own {@code flink run}. A backfill there writes what the embedded
 * mini-cluster writes; a stream there survives the loss of a TaskManager (SIGKILL) once a new one
 * joins, with every event exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterITCase {
  /** For the backfill that gives a stream's expected results. */
  @RegisterExtension static final MiniClusterExtension MINI = MiniCluster.extension();

  private static final Duration RESULT_DEADLINE = Duration.ofSeconds(120);

  @TempDir static Path shared;
  private static LocalCluster cluster;

  @TempDir Path tmp;

  @BeforeAll
  static void startCluster() throws IOException {
    // Two TaskManagers of one slot each: a job at parallelism 2 has a task on both, and after
    // one is killed it cannot run again until another joins.
    cluster = LocalCluster.start(shared.resolve("cluster"), 2, 1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(0)
  void statusNamesEachProcessWithItsPidAndLog() throws Exception {
    List<LocalCluster.Member> members = cluster.status();
    assertThat(members)
        .extracting(LocalCluster.Member::role)
        .containsExactly("jobmanager", "taskmanager", "taskmanager");
    for (LocalCluster.Member m : members) {
      assertThat(ProcessHandle.of(m.pid()))
          .as("process %s", m)
          .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
      assertThat(m.log()).exists().isRegularFile();
    }
    assertThat(cluster.rest("/overview")).contains("\"taskmanagers\":2");
    // A second start in the same folder is refused, and leaves the cluster running.
    LocalCluster.Result again = cluster.run("start");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("already running");
    assertThat(cluster.status()).isEqualTo(members);
  }

  @Test
  @Order(1)
  void aBackfillOnTheClusterWritesWhatTheEmbeddedRunWrites() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    EventGenerator.write(in.resolve("a.jsonl"), 4000, 31);
    EventGenerator.write(in.resolve("b.jsonl"), 3000, 32);
    Path embedded = tmp.resolve("embedded");
    Path submitted = tmp.resolve("submitted");
    Path flinkRun = tmp.resolve("flink-run");

    LauncherProcess.Result local = LauncherProcess.run(tmp, backfill(in, embedded));
    assertThat(local.exitCode()).as(local.stderr()).isZero();
    assertThat(local.stderr()).doesNotContain("submitting");

    LauncherProcess.Result remote =
        LauncherProcess.run(
            tmp, prepend(backfill(in, submitted), "--jobmanager", cluster.restAddress()));
    assertThat(remote.exitCode()).as(remote.stderr() + cluster.logs()).isZero();
    assertThat(remote.stderr())
        .contains("submitting to the Flink cluster at http://" + cluster.restAddress());

    // Flink's own command line, as on any cluster: the jar's main class takes the subcommands.
    Path jar = LauncherProcess.script().getParent().resolveSibling("jobs/target/data-events.jar");
    LocalCluster.Result viaFlink =
        cluster.run("flink", prepend(backfill(in, flinkRun), "run", jar.toString()));
    assertThat(viaFlink.exitCode()).as(viaFlink.stdout() + viaFlink.stderr()).isZero();

    Map<String, String> expected = withoutReport(embedded);
    assertThat(expected).containsKey("events/part-00001.jsonl");
    assertThat(withoutReport(submitted)).isEqualTo(expected);
    assertThat(withoutReport(flinkRun)).isEqualTo(expected);
    assertThat(counts(submitted)).isEqualTo(counts(embedded));
    assertThat(counts(flinkRun)).isEqualTo(counts(embedded));
    // They did run on the cluster, not on a mini-cluster of the client's.
    assertThat(finishedBackfills()).isEqualTo(2);
  }

  @Test
  @Order(2)
  void aStreamOnTheClusterSurvivesALostTaskManagerWithEveryEventOnce() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path a = staging.resolve("a.jsonl");
    Path b = staging.resolve("b.jsonl");
    EventGenerator.write(a, 3000, 41);
    EventGenerator.write(b, 3000, 42);
    // The second file resends the start of the first: dedup must hold across the failover, from
    // restored state.
    Files.write(
        b,
        Files.readAllLines(a, StandardCharsets.UTF_8).subList(0, 300),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    Path backfillOut = tmp.resolve("backfill");
    RunReport backfill = Backfills.of(staging).run(backfillOut);
    StreamResults expected = StreamResults.ofBackfill(backfillOut);

    Path watch = Files.createDirectories(tmp.resolve("watch"));
    Path output = tmp.resolve("out");
    LauncherProcess stream =
        LauncherProcess.start(
            tmp,
            "stream",
            StreamArgs.quick(
                "--jobmanager",
                cluster.restAddress(),
                "stream",
                "--watch",
                watch.toString(),
                "--output",
                output.toString()));
    String job = null;
    try {
      job = awaitJobId(stream);
      moveIn(a, watch);
      awaitCommitted(stream, output, n -> n > 0);

      LocalCluster.Member victim =
          cluster.status().stream()
              .filter(m -> m.role().equals("taskmanager"))
              .findFirst()
              .orElseThrow();
      ProcessHandle process = ProcessHandle.of(victim.pid()).orElseThrow();
      process.destroyForcibly(); // SIGKILL
      process.onExit().get(30, TimeUnit.SECONDS);
      moveIn(b, watch);
      LocalCluster.Result added = cluster.addTaskManager();
      assertThat(added.exitCode()).as(added.stderr()).isZero();
      assertThat(added.stdout()).startsWith("taskmanager ");

      StreamResults actual = awaitResults(stream, output, expected);
      actual.assertMatches(expected, output.toString());
      RunReport report = awaitReport(stream, output, backfill.count(Counters.INPUT_RECORDS));
      assertThat(report.balanced()).isTrue();
      assertThat(report.count(Counters.ACCEPTED)).isEqualTo(backfill.count(Counters.ACCEPTED));
      assertThat(report.count(Counters.DUPLICATES)).isEqualTo(backfill.count(Counters.DUPLICATES));
      assertThat(report.rejectedByReason()).isEqualTo(backfill.rejectedByReason());
      // The job did lose a task and come back (rather than never having run on the victim).
      assertThat(cluster.rest("/jobs/" + job + "/exceptions")).contains("\"exceptionName\"");
      // ... and the launcher's console said so, from the cluster's exception history.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!stream.stderr().contains("(restart 1 of 30 in a row;")
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(stream.stderr())
          .containsPattern(
              "stream: failed at \\S+Z \\(.+\\); restarting from the last checkpoint \\(restart"
                  + " 1 of 30 in a row; Flink's log has the details\\)");
      assertThat(stream.isAlive()).as(stream.stderr()).isTrue();
    } catch (Throwable e) {
      System.err.println(stream.output() + "\n" + cluster.logs());
      throw e;
    } finally {
      // Ctrl-C of the launcher cancels its job on the cluster.
      stream.stop(Duration.ofSeconds(60));
    }
    awaitJobState(job, "CANCELED");
  }

  // --- helpers ---

  private static String[] backfill(Path in, Path out) {
    return new String[] {
      "backfill",
      "--input",
      in.toString(),
      "--output",
      out.toString(),
      "--as-of",
      Long.toString(Records.AS_OF),
      "--parallelism",
      "2",
      "--duplicates"
    };
  }

  private static String[] prepend(String[] args, String... first) {
    String[] all = new String[first.length + args.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(args, 0, all, first.length, args.length);
    return all;
  }

  private static Map<String, String> withoutReport(Path output) {
    Map<String, String> files = new TreeMap<>(FolderSnapshot.of(output));
    assertThat(files.remove("report.json")).as("report.json in " + output).isNotNull();
    return files;
  }

  /** report.json without the run's own times. */
  private static String counts(Path output) throws IOException {
    ObjectNode report =
        (ObjectNode)
            Json.mapper()
                .readTree(Files.readString(output.resolve("report.json"), StandardCharsets.UTF_8));
    report.remove(List.of("started_at", "finished_at", "elapsed_ms"));
    return report.toString();
  }

  private static int finishedBackfills() throws Exception {
    Matcher m =
        Pattern.compile("\"name\":\"data-events backfill\"[^}]*?\"state\":\"FINISHED\"")
            .matcher(cluster.rest("/jobs/overview"));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String awaitJobId(LauncherProcess stream) throws Exception {
    Pattern running = Pattern.compile("stream: running \\(job ([0-9a-f]{32})\\)");
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = running.matcher(stream.stderr());
      if (m.find()) {
        return m.group(1);
      }
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      Thread.sleep(100);
    }
    return fail("the stream printed no job id: " + stream.output());
  }

  private static void awaitJobState(String job, String state) throws Exception {
    Pattern pattern = Pattern.compile("\"jid\":\"" + job + "\"[^}]*?\"state\":\"" + state + "\"");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String overview = "";
    while (System.nanoTime() < deadline) {
      overview = cluster.rest("/jobs/overview");
      if (pattern.matcher(overview).find()) {
        return;
      }
      Thread.sleep(200);
    }
    fail("job %s not %s on the cluster: %s", job, state, overview);
  }

  /** Moves a file into the watched folder at once, as users are told to. */
  private static void moveIn(Path file, Path watch) throws IOException {
    Path hidden = watch.resolve("." + file.getFileName() + ".copying");
    Files.copy(file, hidden);
    Files.move(hidden, watch.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitCommitted(
      LauncherProcess stream, Path output, java.util.function.IntPredicate until) throws Exception {
    long deadline = System.nanoTime() + RESULT_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (until.test(StreamResults.ofStream(output).identities().size())) {
        return;
      }
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      Thread.sleep(100);
    }
    fail("no events committed within %s: %s", RESULT_DEADLINE, stream.output());
  }

  private static StreamResults awaitResults(
      LauncherProcess stream, Path output, StreamResults expected) throws Exception {
    long deadline = System.nanoTime() + RESULT_DEADLINE.toNanos();
    StreamResults actual = StreamResults.ofStream(output);
    while (System.nanoTime() < deadline && !actual.matches(expected)) {
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      Thread.sleep(250);
      actual = StreamResults.ofStream(output);
    }
    return actual;
  }

  private static RunReport awaitReport(LauncherProcess stream, Path output, long inputRecords)
      throws Exception {
    long deadline = System.nanoTime() + RESULT_DEADLINE.toNanos();
    RunReport report = null;
    while (System.nanoTime() < deadline) {
      report = ReportFiles.read(output).orElse(null);
      if (report != null && report.count(Counters.INPUT_RECORDS) == inputRecords) {
        return report;
      }
      assertThat(stream.isAlive()).as(stream.output()).isTrue();
      Thread.sleep(200);
    }
    return fail("report.json did not reach %d input records: %s", inputRecords, report);
  }
}
