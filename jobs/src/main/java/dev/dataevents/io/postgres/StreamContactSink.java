package dev.dataevents.io.postgres;

import dev.dataevents.model.ContactState;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's database sink, which follows the committed checkpoints: the writer keeps the latest
 * state of each contact that changed since the last checkpoint; the checkpoint takes them as its
 * committable ({@link ContactStateBatch}); once the checkpoint completes, the committer writes them
 * in one transaction, replacing each contact's rows. After a crash the restored checkpoint's batch
 * is written again, which leaves the same rows, and whatever came after it is computed again from
 * the restored state: the database ends where the files end, with no XA transactions.
 *
 * <p>The same transaction removes the listed events that left the 90-day window.
 */
public final class StreamContactSink
    implements Sink<ContactState>, SupportsCommitter<ContactStateBatch> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(StreamContactSink.class);

  /**
   * How long a commit waits for a database it cannot reach (a restart, a failover, a network cut)
   * before the job fails. Flink's restarts would not ride out more than a few seconds of it.
   */
  public static final Duration OUTAGE_ALLOWED = Duration.ofMinutes(10);

  private final PostgresTarget target;
  private final long listingWindowSeconds;
  private final Duration outageAllowed;

  /**
   * @param target the database
   * @param listingWindowSeconds listed events this old leave the listing
   */
  public StreamContactSink(PostgresTarget target, long listingWindowSeconds) {
    this(target, listingWindowSeconds, OUTAGE_ALLOWED);
  }

  StreamContactSink(PostgresTarget target, long listingWindowSeconds, Duration outageAllowed) {
    this.target = target;
    this.listingWindowSeconds = listingWindowSeconds;
    this.outageAllowed = outageAllowed;
  }

  @Override
  public CommittingSinkWriter<ContactState, ContactStateBatch> createWriter(
      WriterInitContext context) {
    return new Writer();
  }

  @Override
  public Committer<ContactStateBatch> createCommitter(CommitterInitContext context) {
    return new DatabaseCommitter(target, listingWindowSeconds, outageAllowed);
  }

  @Override
  public SimpleVersionedSerializer<ContactStateBatch> getCommittableSerializer() {
    return new ContactStateBatch.Serializer();
  }

  /** Keeps the latest state per contact until the next checkpoint. */
  private static final class Writer
      implements CommittingSinkWriter<ContactState, ContactStateBatch> {
    private final Map<String, ContactState> pending = new LinkedHashMap<>();

    @Override
    public void write(ContactState state, Context context) {
      pending.put(state.workspaceId() + '\u0000' + state.contactKey(), state);
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<ContactStateBatch> prepareCommit() {
      if (pending.isEmpty()) {
        return List.of();
      }
      ContactStateBatch batch = new ContactStateBatch(new ArrayList<>(pending.values()));
      pending.clear();
      return List.of(batch);
    }

    @Override
    public void close() {}
  }

  /**
   * Writes each committed checkpoint's batch in one transaction. While the database cannot be
   * reached, it tries again with growing pauses (the task waits, and the stream with it) for up to
   * {@link #OUTAGE_ALLOWED}; any other error, or a longer outage, fails the job, which restarts
   * from its last checkpoint and writes that batch again.
   */
  private static final class DatabaseCommitter implements Committer<ContactStateBatch> {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMinutes(3);
    private static final long FIRST_PAUSE_MS = 250;
    private static final long LONGEST_PAUSE_MS = 15_000;

    private final PostgresTarget target;
    private final long listingWindowSeconds;
    private final Duration outageAllowed;
    private Connection connection;

    DatabaseCommitter(PostgresTarget target, long listingWindowSeconds, Duration outageAllowed) {
      this.target = target;
      this.listingWindowSeconds = listingWindowSeconds;
      this.outageAllowed = outageAllowed;
    }

    @Override
    public void commit(Collection<CommitRequest<ContactStateBatch>> requests)
        throws IOException, InterruptedException {
      for (CommitRequest<ContactStateBatch> request : requests) {
        long deadline = System.nanoTime() + outageAllowed.toNanos();
        long pause = FIRST_PAUSE_MS;
        while (true) {
          try {
            write(request.getCommittable());
            break;
          } catch (SQLException e) {
            closeQuietly();
            if (!cannotReach(e) || System.nanoTime() - deadline > 0) {
              throw new IOException(
                  "could not write to " + target.url() + ": " + e.getMessage(), e);
            }
            LOG.warn(
                "Cannot reach {} ({}); trying again in {} ms", target.url(), e.getMessage(), pause);
            Thread.sleep(pause);
            pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
          }
        }
      }
    }

    private void write(ContactStateBatch batch) throws SQLException {
      if (connection == null) {
        connection = target.connect();
        connection.setAutoCommit(false);
        // A statement whose answer never comes (the network cut under it, silently) gives up
        // after this long, as a lost connection, and the commit is tried again: without it the
        // read would wait past the outage allowed, deaf to the job's cancellation.
        connection.setNetworkTimeout(Runnable::run, (int) STATEMENT_TIMEOUT.toMillis());
      }
      ContactStateWriter.replace(connection, TableSet.CURRENT, batch.states());
      ContactStateWriter.expireListed(
          connection, TableSet.CURRENT, System.currentTimeMillis() / 1000, listingWindowSeconds);
      connection.commit();
    }

    /**
     * A connection that cannot be made or was lost (SQL state class 08), or a server shutting down
     * or starting up (57P01-57P03): worth waiting for, unlike a refused password or a bad
     * statement.
     */
    static boolean cannotReach(SQLException e) {
      for (SQLException next = e; next != null; next = next.getNextException()) {
        String state = next.getSQLState();
        if (state != null && (state.startsWith("08") || state.matches("57P0[123]"))) {
          return true;
        }
      }
      return false;
    }

    private void closeQuietly() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          // Broken already.
        }
        connection = null;
      }
    }

    @Override
    public void close() {
      closeQuietly();
    }
  }
}
