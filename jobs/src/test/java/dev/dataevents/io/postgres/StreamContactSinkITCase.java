package dev.dataevents.io.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.model.ContactState;
import dev.dataevents.model.ListedEvent;
import dev.dataevents.testing.Postgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream's database sink against a real server: the writer hands the latest state of each
 * contact to the checkpoint; a committed batch replaces those contacts' rows, the same batch
 * committed again (after a restart) leaves the same rows, and listed events 90 days old leave.
 */
class StreamContactSinkITCase {
  private static final long WINDOW = 90L * 86_400;

  @TempDir static Path serverDir;
  private static Postgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = Postgres.start(serverDir);
    try (Connection c = postgres.connect()) {
      SchemaMigrations.apply(c);
      assertThat(SchemaMigrations.apply(c)).as("the version found the second time").isEqualTo(1);
    }
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static ContactState state(String user, long updatedAt, long... listedAt) {
    ListedEvent[] listed = new ListedEvent[listedAt.length];
    for (int i = 0; i < listedAt.length; i++) {
      listed[i] =
          new ListedEvent("ws", "user_id:" + user, "e", listedAt[i], user, null, null, null);
    }
    return new ContactState(
        "ws",
        "user_id:" + user,
        user,
        null,
        null,
        new String[] {"e"},
        new long[] {listedAt.length},
        new long[] {listedAt.length == 0 ? 1 : listedAt[listedAt.length - 1]},
        new long[] {listedAt.length == 0 ? 1 : listedAt[0]},
        listed,
        updatedAt);
  }

  /** A commit request as Flink hands it to the committer. */
  private record Request(ContactStateBatch batch)
      implements Committer.CommitRequest<ContactStateBatch> {
    @Override
    public ContactStateBatch getCommittable() {
      return batch;
    }

    @Override
    public int getNumberOfRetries() {
      return 0;
    }

    @Override
    public void signalFailedWithKnownReason(Throwable t) {
      throw new AssertionError(t);
    }

    @Override
    public void signalFailedWithUnknownReason(Throwable t) {
      throw new AssertionError(t);
    }

    @Override
    public void retryLater() {
      throw new AssertionError("retry");
    }

    @Override
    public void updateAndRetryLater(ContactStateBatch committable) {
      throw new AssertionError("retry");
    }

    @Override
    public void signalAlreadyCommitted() {}
  }

  private static List<String> rows() throws Exception {
    return postgres.column(
        "SELECT concat_ws(' ', c.contact_key, c.updated_at = to_timestamp(0),"
            + " (SELECT string_agg(l.created_at::text, ',' ORDER BY l.created_at)"
            + " FROM data_events.listed_events l WHERE l.contact_key = c.contact_key))"
            + " FROM data_events.contacts c ORDER BY 1");
  }

  @Test
  void aCommittedBatchReplacesItsContactsOnceOrTwiceAndExpiredEventsLeave() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    StreamContactSink sink =
        new StreamContactSink(PostgresTarget.of(postgres.url(), null, null), WINDOW);
    CommittingSinkWriter<ContactState, ContactStateBatch> writer = sink.createWriter(null);
    writer.write(state("a", 5, now - 10, now - 20), null);
    writer.write(state("b", 0, now - 30), null);
    writer.write(state("a", 0, now - 10), null); // a later snapshot of a replaces the first
    List<ContactStateBatch> batches = List.copyOf(writer.prepareCommit());
    assertThat(batches).hasSize(1);
    assertThat(batches.get(0).states()).hasSize(2);
    assertThat(writer.prepareCommit()).as("nothing changed since").isEmpty();

    try (Committer<ContactStateBatch> committer = sink.createCommitter(null)) {
      committer.commit(List.of(new Request(batches.get(0))));
      List<String> once = rows();
      assertThat(once).containsExactly("user_id:a t " + (now - 10), "user_id:b t " + (now - 30));
      committer.commit(List.of(new Request(batches.get(0))));
      assertThat(rows()).as("the same batch again").isEqualTo(once);

      // A later snapshot of b with an event about to expire, and one already expired.
      committer.commit(
          List.of(
              new Request(
                  new ContactStateBatch(
                      List.of(state("b", 0, now - 30, now - WINDOW + 3600, now - WINDOW - 5))))));
      assertThat(rows())
          .containsExactly(
              "user_id:a t " + (now - 10),
              "user_id:b t " + (now - WINDOW + 3600) + "," + (now - 30));
    }
  }

  // ---------------------------------------------------------------- the database goes away

  @TempDir Path outageDir;

  private static ContactStateBatch oneContact(String user) {
    return new ContactStateBatch(List.of(state(user, 0, System.currentTimeMillis() / 1000 - 10)));
  }

  @Test
  void aCommitWaitsForADatabaseThatWentAwayAndWritesWhenItIsBack() throws Exception {
    Postgres first = Postgres.startKeepingData(outageDir, 0);
    int port = first.port();
    String url = first.url();
    try (Connection c = first.connect()) {
      SchemaMigrations.apply(c);
    }
    StreamContactSink sink = new StreamContactSink(PostgresTarget.of(url, null, null), WINDOW);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    Postgres second = null;
    try (Committer<ContactStateBatch> committer = sink.createCommitter(null)) {
      committer.commit(List.of(new Request(oneContact("before"))));
      first.close(); // a restart, a failover, a network cut: the connection and the server go

      Future<?> commit =
          thread.submit(
              () -> {
                committer.commit(List.of(new Request(oneContact("during"))));
                return null;
              });
      Thread.sleep(3000);
      assertThat(commit).as("waiting for the database").isNotDone();

      second = Postgres.startKeepingData(outageDir, port);
      commit.get(2, TimeUnit.MINUTES);
      assertThat(second.column("SELECT contact_key FROM data_events.contacts ORDER BY 1"))
          .containsExactly("user_id:before", "user_id:during");
    } finally {
      thread.shutdownNow();
      if (second != null) {
        second.close();
      }
      first.close();
    }
  }

  @Test
  void aDatabaseThatStaysAwayLongerThanAllowedFailsTheCommitNamingIt() throws Exception {
    Postgres gone = Postgres.startKeepingData(outageDir, 0);
    String url = gone.url();
    try (Connection c = gone.connect()) {
      SchemaMigrations.apply(c);
    }
    gone.close();
    StreamContactSink sink =
        new StreamContactSink(PostgresTarget.of(url, null, null), WINDOW, Duration.ofSeconds(2));
    long start = System.nanoTime();
    try (Committer<ContactStateBatch> committer = sink.createCommitter(null)) {
      assertThatThrownBy(() -> committer.commit(List.of(new Request(oneContact("x")))))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("could not write to " + url);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(30));
  }
}
