package dev.dataevents.io.postgres;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded run's copies of the tables, and their swap: {@link #prepare} creates empty copies
 * ({@code contacts__run_<id>}, ...) that the job fills; {@link #swap} puts them in place of the
 * current tables by renaming, in one transaction, so readers see the previous result until the
 * commit and the new one after it, never a mix or an empty table. Closed without a swap (the run
 * failed), it drops the copies and the current tables stay as they were.
 *
 * <p>The run holds a session advisory lock named after its id while it lives; a later run drops the
 * copies of a run whose lock is free (a run killed before it could clean up), and only those:
 * copies of a run still going are left alone. It drops only tables that carry a run's {@link
 * #mark}, which each copy gets in the transaction that creates it: a table that merely has a copy's
 * name (a user's, or one an older version left unmarked) is left where it is.
 */
public final class BoundedTables implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedTables.class);

  /** The first key of this project's advisory locks on runs ("data" in ASCII). */
  private static final int RUN_LOCK_CLASS = 0x64617461;

  /** Attempts at a swap that PostgreSQL chose as a deadlock's victim (a reader holding a lock). */
  private static final int SWAP_ATTEMPTS = 5;

  private final PostgresTarget target;
  private final Connection connection;
  private final String runId;
  private final TableSet tables;
  private boolean swapped;

  private BoundedTables(PostgresTarget target, Connection connection, String runId) {
    this.target = target;
    this.connection = connection;
    this.runId = runId;
    this.tables = TableSet.ofRun(runId);
  }

  /**
   * Brings the schema up to date, drops copies that killed runs left, and creates this run's
   * copies.
   */
  public static BoundedTables prepare(PostgresTarget target) throws SQLException {
    Connection connection = target.connect();
    try {
      SchemaMigrations.apply(connection);
      byte[] random = new byte[6];
      new SecureRandom().nextBytes(random);
      BoundedTables run = new BoundedTables(target, connection, HexFormat.of().formatHex(random));
      run.lock();
      run.dropAbandonedCopies();
      run.createCopies();
      return run;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The copies the job writes into. */
  public TableSet tables() {
    return tables;
  }

  /** The database, for messages. */
  public PostgresTarget target() {
    return target;
  }

  private void lock() throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
      statement.setInt(1, RUN_LOCK_CLASS);
      statement.setString(2, runId);
      statement.execute();
    }
  }

  /**
   * The comment that marks a table as one of run {@code runId}'s copies, set in the transaction
   * that creates it: the cleanup drops only tables that carry it, never a user's table that merely
   * has a copy's name (a backup {@code contacts__run_mybackup}).
   */
  static String mark(String runId) {
    return "data-events bounded run " + runId;
  }

  private void dropAbandonedCopies() throws SQLException {
    TreeMap<String, List<String>> runs = new TreeMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p')"
                + " AND position(? in c.relname) > 0")) {
      statement.setString(1, TableSet.SCHEMA);
      statement.setString(2, TableSet.RUN_MARK);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String run = name.substring(name.indexOf(TableSet.RUN_MARK) + TableSet.RUN_MARK.length());
          if (!TableSet.NAMES.contains(name.substring(0, name.indexOf(TableSet.RUN_MARK)))
              || !run.matches("[a-z0-9]{1,32}")
              || run.equals(runId)) {
            continue;
          }
          if (mark(run).equals(rs.getString(2))) {
            runs.computeIfAbsent(run, r -> new ArrayList<>()).add(name);
          } else {
            // A user's table, or a copy left by a version before the mark: not provably ours.
            LOG.info(
                "leaving {}.{}: named like a run's copy, but not marked as created by data-events",
                TableSet.SCHEMA,
                name);
          }
        }
      }
    }
    for (Map.Entry<String, List<String>> run : runs.entrySet()) {
      if (!tryLock(run.getKey())) {
        continue; // a run still going
      }
      try {
        LOG.info("dropping the tables of an abandoned run {}", run.getKey());
        List<String> names = new ArrayList<>();
        run.getValue().forEach(t -> names.add(TableSet.SCHEMA + "." + quote(t)));
        try (Statement statement = connection.createStatement()) {
          statement.execute("DROP TABLE IF EXISTS " + String.join(", ", names));
        }
      } finally {
        unlock(run.getKey());
      }
    }
  }

  private boolean tryLock(String run) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
      statement.setInt(1, RUN_LOCK_CLASS);
      statement.setString(2, run);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private void unlock(String run) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
      statement.setInt(1, RUN_LOCK_CLASS);
      statement.setString(2, run);
      statement.execute();
    }
  }

  /** Creates the copies and marks them as this run's, all in one transaction. */
  private void createCopies() throws SQLException {
    inTransaction(
        statement -> {
          for (String table : TableSet.NAMES) {
            statement.execute(
                "CREATE TABLE "
                    + tables.qualified(table)
                    + " (LIKE "
                    + TableSet.CURRENT.qualified(table)
                    + " INCLUDING ALL)");
            // Plain SQL text: the run id is letters and digits only (TableSet.ofRun).
            statement.execute(
                "COMMENT ON TABLE " + tables.qualified(table) + " IS '" + mark(runId) + "'");
          }
        });
  }

  /** Work on one statement in a transaction of its own: committed whole, or rolled back. */
  private interface Work {
    void run(Statement statement) throws SQLException;
  }

  private void inTransaction(Work work) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      work.run(statement);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private void drop(TableSet set) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      List<String> names = new ArrayList<>();
      TableSet.NAMES.forEach(t -> names.add(set.qualified(t)));
      statement.execute("DROP TABLE IF EXISTS " + String.join(", ", names));
    }
  }

  /**
   * Puts the copies in place of the current tables in one transaction, and drops the tables they
   * replace. Waits for readers that are in the middle of a query on the current tables.
   */
  public void swap() throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        swapOnce();
        swapped = true;
        return;
      } catch (SQLException e) {
        // 40P01: deadlock detected; the transaction was rolled back and can simply run again.
        if (!"40P01".equals(e.getSQLState()) || attempt == SWAP_ATTEMPTS) {
          throw e;
        }
        LOG.info("the swap met a deadlock with a reader; trying again");
      }
    }
  }

  private void swapOnce() throws SQLException {
    inTransaction(
        statement -> {
          List<String> current = new ArrayList<>();
          TableSet.NAMES.forEach(t -> current.add(TableSet.CURRENT.qualified(t)));
          // All three at once, in the order the functions read them.
          statement.execute(
              "LOCK TABLE " + String.join(", ", current) + " IN ACCESS EXCLUSIVE MODE");
          TableSet old = new TableSet("__old_" + runId);
          for (String table : TableSet.NAMES) {
            statement.execute(
                "ALTER TABLE "
                    + TableSet.CURRENT.qualified(table)
                    + " RENAME TO "
                    + old.name(table));
            statement.execute("ALTER TABLE " + tables.qualified(table) + " RENAME TO " + table);
          }
          drop(old);
          renameIndexes(statement);
        });
  }

  /** The copies' indexes are named after the copies: give them the current tables' names. */
  private void renameIndexes(Statement statement) throws SQLException {
    List<String[]> renames = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND position(? in indexname) > 0")) {
      query.setString(1, TableSet.SCHEMA);
      query.setString(2, tables.suffix());
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          renames.add(new String[] {name, name.replace(tables.suffix(), "")});
        }
      }
    }
    for (String[] rename : renames) {
      statement.execute(
          "ALTER INDEX "
              + TableSet.SCHEMA
              + "."
              + quote(rename[0])
              + " RENAME TO "
              + quote(rename[1]));
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** Drops the copies unless they were swapped in, and ends the run's session. */
  @Override
  public void close() {
    try {
      if (!swapped) {
        drop(tables);
      }
    } catch (SQLException e) {
      LOG.warn("could not drop the run's tables {}: {}", tables.contacts(), e.getMessage());
    } finally {
      try {
        connection.close(); // also releases the run's advisory lock
      } catch (SQLException e) {
        // Gone already.
      }
    }
  }
}
