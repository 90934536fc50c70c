package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.cli.DataEventsCommand;
import dev.dataevents.testing.Backfills;
import dev.dataevents.testing.CommandProcess;
import dev.dataevents.testing.EventGenerator;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.OutputFiles;
import dev.dataevents.testing.Postgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded runs replace the database's data atomically: a reader querying in a loop during a second
 * backfill sees the first run's results or the second's, never a mix, never nothing; a run that
 * fails, or whose process is killed during the swap, leaves the data it would have replaced.
 */
class DatabaseSwapITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  /** Contacts the generator gives many events (ws_<n % 3>, user_id u<n>). */
  private static final int WATCHED = 12;

  @TempDir static Path serverDir;
  private static Postgres postgres;

  @TempDir Path tmp;
  private final List<Process> children = new ArrayList<>();

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

  /**
   * One read of several contacts' summaries and first pages and of the tables' sizes, in one
   * statement: what an application could see at one moment.
   */
  private static final String READ;

  static {
    StringBuilder sql = new StringBuilder("SELECT concat_ws(' | '");
    for (int n = 0; n < WATCHED; n++) {
      String ws = "'ws_" + (n % 3) + "'";
      String key = "'user_id:u" + n + "'";
      sql.append(", coalesce(data_events.event_summary(")
          .append(ws)
          .append(", ")
          .append(key)
          .append(")::text, 'NO SUMMARY')");
      sql.append(", coalesce(data_events.event_list(")
          .append(ws)
          .append(", ")
          .append(key)
          .append(", 1, 50)::text, 'NO PAGE')");
    }
    sql.append(", (SELECT count(*) FROM data_events.contacts)");
    sql.append(", (SELECT count(*) FROM data_events.event_counts)");
    sql.append(", (SELECT count(*) FROM data_events.listed_events))");
    READ = sql.toString();
  }

  private String read(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(READ);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }

  private String read() throws SQLException {
    try (Connection c = postgres.connect()) {
      return read(c);
    }
  }

  private Path input(String name, long seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    EventGenerator.write(dir.resolve(name + ".jsonl"), 2000, seed);
    return dir;
  }

  @Test
  void readersSeeTheOldResultOrTheNewNeverAMixAndAFailedRunChangesNothing() throws Exception {
    Path a = input("a", 1);
    Path b = input("b", 2);
    DatabaseBackfillITCase.backfill(Backfills.of(a), tmp.resolve("out-a"), postgres);
    String first = read();
    assertThat(first).doesNotContain("NO SUMMARY");

    // The second run, while a reader reads in a loop.
    Map<String, Integer> seen = new ConcurrentHashMap<>();
    AtomicBoolean reading = new AtomicBoolean(true);
    AtomicReference<Throwable> readerFailed = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try (Connection c = postgres.connect()) {
                while (reading.get()) {
                  seen.merge(read(c), 1, Integer::sum);
                }
              } catch (Throwable e) {
                readerFailed.set(e);
              }
            },
            "reader");
    reader.start();
    try {
      DatabaseBackfillITCase.backfill(Backfills.of(b), tmp.resolve("out-b"), postgres);
      Thread.sleep(300);
    } finally {
      reading.set(false);
      reader.join(30_000);
    }
    assertThat(readerFailed.get()).as("the reader's error").isNull();
    String second = read();
    assertThat(second).isNotEqualTo(first);
    assertThat(seen.keySet()).as("what the reader saw").containsExactlyInAnyOrder(first, second);
    assertThat(seen.get(first)).as("reads of the first result").isPositive();

    // A third run fails half-way through writing its rows: a constraint (which its copies of the
    // tables inherit) refuses one contact. The second run's data stays, and no copy is left.
    Path c = Files.createDirectories(tmp.resolve("c"));
    Files.copy(b.resolve("b.jsonl"), c.resolve("c.jsonl"));
    Files.writeString(
        c.resolve("c.jsonl"),
        "{\"workspace_id\":\"ws_0\",\"event_name\":\"x\",\"created_at\":1790000000,"
            + "\"user_id\":\"poison\"}\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    postgres.execute(
        "ALTER TABLE data_events.contacts ADD CONSTRAINT no_poison"
            + " CHECK (contact_key <> 'user_id:poison')");
    Map<String, String> filesBefore = OutputFiles.files(tmp.resolve("out-b"));
    assertThatThrownBy(
            () ->
                DatabaseBackfillITCase.backfill(
                    Backfills.of(c).overwrite(), tmp.resolve("out-b"), postgres))
        .hasStackTraceContaining("no_poison");
    assertThat(read()).isEqualTo(second);
    assertThat(OutputFiles.files(tmp.resolve("out-b"))).isEqualTo(filesBefore);
    assertThat(runTables()).as("tables of runs left behind").isEmpty();
    postgres.execute("ALTER TABLE data_events.contacts DROP CONSTRAINT no_poison");
  }

  @Test
  void aRunKilledDuringItsSwapChangesNothingAndTheNextRunDropsItsTables() throws Exception {
    Path a = input("a", 1);
    Path b = input("b", 2);
    DatabaseBackfillITCase.backfill(Backfills.of(a), tmp.resolve("out-a"), postgres);
    String first = read();

    // A reader in the middle of a transaction holds the tables: the swap of a backfill in its own
    // process waits for it, its copies filled. Killed then, it never commits.
    try (Connection holder = postgres.connect()) {
      holder.setAutoCommit(false);
      read(holder);
      Path stdout = tmp.resolve("child.out");
      Path stderr = tmp.resolve("child.err");
      Process child =
          CommandProcess.start(
              tmp,
              tmp.resolve("child-tmp"),
              stdout,
              stderr,
              "backfill",
              "--input",
              b.toString(),
              "--output",
              tmp.resolve("out-killed").toString(),
              "--as-of",
              "2026-11-01T00:00:00Z",
              "--parallelism",
              "2",
              "--jdbc-url",
              postgres.url());
      children.add(child);
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (swapsWaiting() == 0) {
        assertThat(child.isAlive())
            .as("the child, stderr: %s", Files.readString(stderr, StandardCharsets.UTF_8))
            .isTrue();
        assertThat(System.nanoTime()).as("waiting for the swap").isLessThan(deadline);
        Thread.sleep(100);
      }
      assertThat(runTables()).isNotEmpty();
      CommandProcess.kill(child);
      holder.rollback();
    }
    assertThat(read()).isEqualTo(first);
    assertThat(Files.exists(tmp.resolve("out-killed"))).isFalse();

    // The next run finds the killed run's tables, whose lock is free, and drops them.
    DatabaseBackfillITCase.backfill(Backfills.of(b), tmp.resolve("out-b"), postgres);
    assertThat(runTables()).isEmpty();
    assertThat(read()).isNotEqualTo(first).doesNotContain("NO SUMMARY");
  }

  @Test
  void aRunDropsNoTableItDidNotCreateThoughItIsNamedLikeARunsCopy() throws Exception {
    Path a = input("a", 1);
    DatabaseBackfillITCase.backfill(Backfills.of(a), tmp.resolve("out"), postgres);
    // A user's backups, named as a run's copies are (and no run holds the lock of "mybackup").
    postgres.execute(
        "CREATE TABLE data_events.contacts__run_mybackup AS SELECT * FROM data_events.contacts",
        "CREATE TABLE data_events.listed_events__run_mybackup"
            + " (LIKE data_events.listed_events INCLUDING ALL)");
    try {
      String rows = postgres.column("SELECT count(*) FROM data_events.contacts").get(0);
      assertThat(Integer.parseInt(rows)).isPositive();

      DatabaseBackfillITCase.backfill(
          Backfills.of(input("b", 2)).overwrite(), tmp.resolve("out"), postgres);

      assertThat(runTables())
          .containsExactlyInAnyOrder("contacts__run_mybackup", "listed_events__run_mybackup");
      assertThat(postgres.column("SELECT count(*) FROM data_events.contacts__run_mybackup"))
          .containsExactly(rows);
    } finally {
      postgres.execute(
          "DROP TABLE IF EXISTS data_events.contacts__run_mybackup,"
              + " data_events.listed_events__run_mybackup");
    }
  }

  @Test
  void aRunRefusesADatabaseWhoseTablesItDidNotCreate() throws Exception {
    // A fresh database where a user made schema data_events and a table contacts of their own.
    postgres.execute("CREATE DATABASE users_first");
    String url = postgres.url().replace("/postgres?", "/users_first?");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA data_events");
      s.execute("CREATE TABLE data_events.contacts (name text)");
      s.execute("INSERT INTO data_events.contacts VALUES ('mine'), ('also mine')");
    }
    StringWriter err = new StringWriter();
    int exit =
        DataEventsCommand.commandLine()
            .setErr(new PrintWriter(err))
            .execute(
                "backfill",
                "--input",
                input("a", 1).toString(),
                "--output",
                tmp.resolve("out").toString(),
                "--as-of",
                "2026-11-01T00:00:00Z",
                "--jdbc-url",
                url);
    assertThat(exit).isEqualTo(DataEventsCommand.EXIT_FAILED);
    assertThat(err.toString())
        .contains("data_events.contacts")
        .contains("did not create")
        .doesNotContain("already exists");
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s = c.prepareStatement("SELECT name FROM data_events.contacts");
        ResultSet rs = s.executeQuery()) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      assertThat(names).containsExactlyInAnyOrder("mine", "also mine");
    }
    assertThat(Files.exists(tmp.resolve("out"))).isFalse();
  }

  private int swapsWaiting() throws SQLException {
    return Integer.parseInt(
        postgres
            .column(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'data-events'"
                    + " AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%'")
            .get(0));
  }

  private List<String> runTables() throws SQLException {
    return postgres.column(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'data_events'"
            + " AND tablename LIKE '%\\_\\_run\\_%'");
  }
}
