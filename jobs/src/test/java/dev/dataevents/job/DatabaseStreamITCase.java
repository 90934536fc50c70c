package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.dataevents.io.LatestSnapshots;
import dev.dataevents.io.postgres.PostgresTarget;
import dev.dataevents.json.Json;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.DatabaseReads;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.Postgres;
import dev.dataevents.testing.StreamArgs;
import dev.dataevents.testing.StreamResults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream with a database, killed with SIGKILL twice and resumed: in the end the database holds
 * what its files' latest snapshots hold, and what a backfill of the same input holds.
 */
class DatabaseStreamITCase {
  /** For the backfill that gives the expected results (the stream runs in its own JVM). */
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final long DEADLINE_NANOS = 90_000_000_000L;
  private static final int LINES_PER_FILE = 1500;

  /**
   * The stream's listing window ends at its snapshots' time, the backfill's at its --as-of, some
   * seconds earlier: events this close to the window's start are left out of that comparison.
   */
  private static final long WINDOW_EDGE_SECONDS = 600;

  @TempDir static Path serverDir;
  private static Postgres postgres;

  @TempDir Path tmp;
  private final List<Process> children = new ArrayList<>();
  private Path watch;
  private Path output;

  @BeforeAll
  static void startPostgres() {
    postgres = Postgres.start(serverDir);
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @AfterEach
  void killChildren() {
    children.forEach(CommandProcess::kill);
  }

  @Test
  void killedAndResumedTheStreamsDatabaseEqualsItsFilesAndABackfill() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path a = staging.resolve("a.jsonl");
    Path b = staging.resolve("b.jsonl");
    EventGenerator.write(a, LINES_PER_FILE, 21);
    EventGenerator.write(b, LINES_PER_FILE, 22);
    // The second file resends the start of the first: dedup holds across the kills.
    Files.write(
        b,
        Files.readAllLines(a, StandardCharsets.UTF_8).subList(0, 150),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    // The backfill of the same input, into a database of its own, as of now.
    postgres.execute("CREATE DATABASE backfill");
    String backfillUrl = postgres.url().replace("/postgres?", "/backfill?");
    long asOf = System.currentTimeMillis() / 1000;
    try (BoundedRun.Running running =
        BoundedRun.start(
            Backfills.of(staging).asOf(asOf).request(tmp.resolve("backfill")),
            new Configuration(),
            new DatabaseOutput(PostgresTarget.of(backfillUrl, null, null)))) {
      running.finish();
    }
    List<String> expectedSummaries;
    List<String> expectedListed;
    try (Connection c = DriverManager.getConnection(backfillUrl)) {
      expectedSummaries = DatabaseReads.allSummaries(c);
      expectedListed = listed(c, asOf);
    }

    watch = Files.createDirectories(tmp.resolve("in"));
    output = tmp.resolve("out");
    Process run1 = start(1);
    moveIn(a);
    awaitDatabase(run1, () -> contacts() > 0);
    CommandProcess.kill(run1);

    Process run2 = start(2);
    moveIn(b);
    int before = contacts();
    awaitDatabase(run2, () -> contacts() > before);
    CommandProcess.kill(run2);

    Process run3 = start(3);
    awaitDatabase(run3, () -> summaries().equals(expectedSummaries));
    // The files and the database follow the same checkpoints; their commits may be a moment apart.
    awaitDatabase(run3, () -> summaries().equals(fileSummaries()) && pages().equals(filePages()));
    CommandProcess.kill(run3);

    assertThat(summaries()).isEqualTo(fileSummaries()).isEqualTo(expectedSummaries);
    assertThat(pages()).isEqualTo(filePages());
    try (Connection c = postgres.connect()) {
      // Which copy of a duplicate wins differs (a stream keeps the first to arrive, a backfill the
      // smallest input position), and so may its metadata: listed events compare by identity.
      assertThat(listed(c, asOf)).isEqualTo(expectedListed);
    }
  }

  private Process start(int number) throws IOException {
    Path childTmp = Files.createDirectories(tmp.resolve("run-" + number + "-tmp"));
    Process process =
        CommandProcess.start(
            tmp,
            childTmp,
            tmp.resolve("run-" + number + ".out"),
            tmp.resolve("run-" + number + ".err"),
            StreamArgs.quick(
                "stream",
                "--watch",
                watch.toString(),
                "--output",
                output.toString(),
                "--jdbc-url",
                postgres.url(),
                "--log-file",
                tmp.resolve("run-" + number + ".log").toString()));
    children.add(process);
    return process;
  }

  private void moveIn(Path file) throws IOException {
    Path hidden = watch.resolve("." + file.getFileName() + ".copying");
    Files.copy(file, hidden);
    Files.move(hidden, watch.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  private void awaitDatabase(Process child, Callable<Boolean> until) throws Exception {
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    while (!holds(until)) {
      if (!child.isAlive()) {
        fail("the stream ended: " + Files.readString(stderrOf(child), StandardCharsets.UTF_8));
      }
      if (System.nanoTime() > deadline) {
        fail("the database did not get there in time");
      }
      Thread.sleep(200);
    }
  }

  /** Whether it holds now; not yet while the schema is missing or a part file just moved. */
  private static boolean holds(Callable<Boolean> condition) throws Exception {
    try {
      return StreamResults.retrying(condition);
    } catch (SQLException e) {
      return false;
    }
  }

  private Path stderrOf(Process child) {
    return tmp.resolve("run-" + (children.indexOf(child) + 1) + ".err");
  }

  private int contacts() throws SQLException {
    return Integer.parseInt(postgres.column("SELECT count(*) FROM data_events.contacts").get(0));
  }

  private List<String> summaries() throws SQLException {
    try (Connection c = postgres.connect()) {
      return DatabaseReads.allSummaries(c);
    }
  }

  private List<String> pages() throws SQLException {
    try (Connection c = postgres.connect()) {
      return DatabaseReads.allPages(c, 50);
    }
  }

  /** The latest summary snapshots, without their {@code updated_at}, as sorted jsonb text. */
  private List<String> fileSummaries() throws Exception {
    return withoutUpdatedAt(LatestSnapshots.read(output.resolve("summaries")), false);
  }

  /** The latest listing pages (an empty page says there is none), as sorted jsonb text. */
  private List<String> filePages() throws Exception {
    return withoutUpdatedAt(LatestSnapshots.read(output.resolve("listings")), true);
  }

  private static List<String> withoutUpdatedAt(List<String> lines, boolean skipEmpty)
      throws Exception {
    List<String> kept = new ArrayList<>();
    for (String line : lines) {
      var node =
          (org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode)
              Json.mapper().readTree(line);
      if (skipEmpty && node.path("pages").path("total_pages").asInt() == 0) {
        continue;
      }
      node.remove("updated_at");
      kept.add(Json.mapper().writeValueAsString(node));
    }
    try (Connection c = postgres.connect()) {
      List<String> jsonb = DatabaseReads.asJsonb(c, kept);
      jsonb.sort(null);
      return jsonb;
    }
  }

  /** Identities of the listed events clear of the window's edge, sorted. */
  private static List<String> listed(Connection c, long asOf) throws SQLException {
    return DatabaseReads.column(
        c,
        "SELECT concat_ws('|', workspace_id, contact_key, event_name, created_at)"
            + " FROM data_events.listed_events WHERE created_at > "
            + (asOf - 90L * 86_400 + WINDOW_EDGE_SECONDS)
            + " ORDER BY 1");
  }
}
