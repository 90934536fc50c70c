package dev.dataevents.job;

import dev.dataevents.contact.ContactOutputs;
import dev.dataevents.contact.ContactResults;
import dev.dataevents.io.postgres.BoundedContactSink;
import dev.dataevents.io.postgres.BoundedTables;
import dev.dataevents.io.postgres.PostgresTarget;
import dev.dataevents.io.postgres.SchemaMigrations;
import dev.dataevents.io.postgres.StreamContactSink;
import dev.dataevents.io.postgres.TableSet;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL output of a run ({@code --jdbc-url}): summaries and listings as rows of schema
 * {@code data_events}, besides the files. A bounded run fills copies of the tables and swaps them
 * in when it succeeded ({@link BoundedTables}); a stream writes what each completed checkpoint
 * covers ({@link StreamContactSink}). Nothing of it is loaded unless a run names a database.
 */
public final class DatabaseOutput {
  /** The uid of the database sink, part of a stream's checkpoint format: never change it. */
  public static final String UID_DATABASE_SINK = "database-sink";

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutput.class);

  private final PostgresTarget target;

  public DatabaseOutput(PostgresTarget target) {
    this.target = target;
  }

  public PostgresTarget target() {
    return target;
  }

  /** Brings the schema up to date (a stream's start; a bounded run does it when it prepares). */
  void migrate() throws IOException {
    try (Connection connection = target.connect()) {
      SchemaMigrations.apply(connection);
    } catch (SQLException e) {
      throw unusable(e);
    }
  }

  /** A bounded run's copies of the tables, to fill and swap in. */
  BoundedTables prepareBounded() throws IOException {
    try {
      return BoundedTables.prepare(target);
    } catch (SQLException e) {
      throw unusable(e);
    }
  }

  /**
   * The database cannot be used: one line that names it (its URL holds no password) and says why;
   * the whole exception goes to the log.
   */
  private IOException unusable(SQLException e) {
    LOG.warn("the database {} cannot be used", target.url(), e);
    return new IOException("database " + target.url() + ": " + e.getMessage());
  }

  /** Sends the contacts' states to a bounded run's copies of the tables. */
  static void attachBounded(
      SingleOutputStreamOperator<byte[]> contacts, TableSet tables, PostgresTarget target, int p) {
    contacts
        .getSideOutput(ContactOutputs.STATES)
        .sinkTo(new BoundedContactSink(target, tables))
        .name("database-sink")
        .uid(UID_DATABASE_SINK)
        .setParallelism(p);
  }

  /** Sends the contacts' snapshots to the current tables, as checkpoints complete. */
  void attachStream(SingleOutputStreamOperator<byte[]> contacts, int parallelism) {
    contacts
        .getSideOutput(ContactOutputs.STATES)
        .sinkTo(new StreamContactSink(target, ContactResults.LISTING_WINDOW_SECONDS))
        .name("database-sink")
        .uid(UID_DATABASE_SINK)
        .setParallelism(parallelism);
  }
}
