package dev.dataevents.io.postgres;

import dev.dataevents.model.ContactState;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A bounded run's database sink: each subtask writes its contacts' states into the run's own copies
 * of the tables ({@link BoundedTables}), a batch per transaction. Nobody reads those copies until
 * the run swaps them in, so nothing here needs to wait for the end; a subtask run again after a
 * failure rewrites the same contacts' rows ({@link ContactStateWriter} replaces them).
 */
public final class BoundedContactSink implements Sink<ContactState> {
  private static final long serialVersionUID = 1L;

  /** Contacts per transaction: large enough that a round trip is cheap per contact. */
  static final int BATCH = 500;

  private final PostgresTarget target;
  private final TableSet tables;

  public BoundedContactSink(PostgresTarget target, TableSet tables) {
    this.target = target;
    this.tables = tables;
  }

  @Override
  public SinkWriter<ContactState> createWriter(WriterInitContext context) throws IOException {
    return new Writer(target, tables);
  }

  private static final class Writer implements SinkWriter<ContactState> {
    private final PostgresTarget target;
    private final TableSet tables;
    private final List<ContactState> batch = new ArrayList<>(BATCH);
    private Connection connection;

    Writer(PostgresTarget target, TableSet tables) {
      this.target = target;
      this.tables = tables;
    }

    @Override
    public void write(ContactState state, Context context) throws IOException {
      batch.add(state);
      if (batch.size() >= BATCH) {
        writeBatch();
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      writeBatch();
    }

    private void writeBatch() throws IOException {
      if (batch.isEmpty()) {
        return;
      }
      try {
        if (connection == null) {
          connection = target.connect();
          connection.setAutoCommit(false);
        }
        ContactStateWriter.replace(connection, tables, batch);
        connection.commit();
        batch.clear();
      } catch (SQLException e) {
        throw new IOException("could not write to " + target.url() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws Exception {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
