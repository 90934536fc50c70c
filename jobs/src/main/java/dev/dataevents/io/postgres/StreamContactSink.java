package dev.dataevents.io.postgres;

import dev.dataevents.model.ContactState;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
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

  private final PostgresTarget target;
  private final long listingWindowSeconds;

  /**
   * @param target the database
   * @param listingWindowSeconds listed events this old leave the listing
   */
  public StreamContactSink(PostgresTarget target, long listingWindowSeconds) {
    this.target = target;
    this.listingWindowSeconds = listingWindowSeconds;
  }

  @Override
  public CommittingSinkWriter<ContactState, ContactStateBatch> createWriter(
      WriterInitContext context) {
    return new Writer();
  }

  @Override
  public Committer<ContactStateBatch> createCommitter(CommitterInitContext context) {
    return new DatabaseCommitter(target, listingWindowSeconds);
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

  /** Writes each committed checkpoint's batch in one transaction. */
  private static final class DatabaseCommitter implements Committer<ContactStateBatch> {
    private final PostgresTarget target;
    private final long listingWindowSeconds;
    private Connection connection;

    DatabaseCommitter(PostgresTarget target, long listingWindowSeconds) {
      this.target = target;
      this.listingWindowSeconds = listingWindowSeconds;
    }

    @Override
    public void commit(Collection<CommitRequest<ContactStateBatch>> requests) throws IOException {
      for (CommitRequest<ContactStateBatch> request : requests) {
        try {
          if (connection == null) {
            connection = target.connect();
            connection.setAutoCommit(false);
          }
          ContactStateWriter.replace(
              connection, TableSet.CURRENT, request.getCommittable().states());
          ContactStateWriter.expireListed(
              connection,
              TableSet.CURRENT,
              System.currentTimeMillis() / 1000,
              listingWindowSeconds);
          connection.commit();
        } catch (SQLException e) {
          // The job fails and restarts from its last checkpoint, whose batch is written again.
          closeQuietly();
          throw new IOException("could not write to " + target.url() + ": " + e.getMessage(), e);
        }
      }
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
