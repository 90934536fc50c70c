package dev.dataevents.io.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings schema {@code data_events} to the version this build writes: each SQL file of the
 * repository's migrations that the database has not applied yet, in order, in one transaction
 * (table {@code data_events.schema_version} records them). Runs that start together wait for each
 * other on an advisory lock, so a migration is applied once.
 */
public final class SchemaMigrations {
  /** The migrations, oldest first; version n is the n-th. Never edit one: add the next. */
  static final List<String> FILES = List.of("V1__summaries_and_listings.sql");

  /** The key of the advisory lock that migrations hold ("data_events" as a number). */
  private static final long LOCK_KEY = 0x64617461_65766e74L;

  private SchemaMigrations() {}

  /** The version this build writes. */
  public static int latest() {
    return FILES.size();
  }

  /**
   * Applies the migrations the database lacks.
   *
   * @return the version the database had before
   * @throws SQLException on a database error, or when the database has a newer version than this
   *     build knows
   */
  public static int apply(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + TableSet.SCHEMA);
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TableSet.SCHEMA
              + ".schema_version (version int PRIMARY KEY,"
              + " applied_at timestamptz NOT NULL DEFAULT now())");
      int current;
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT coalesce(max(version), 0) FROM " + TableSet.SCHEMA + ".schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > latest()) {
        throw new SQLException(
            "schema "
                + TableSet.SCHEMA
                + " is at version "
                + current
                + ", newer than this build knows ("
                + latest()
                + "): use a newer build");
      }
      if (current == 0) {
        refuseTablesOfOthers(connection);
      }
      for (int version = current + 1; version <= latest(); version++) {
        statement.execute(script(FILES.get(version - 1)));
        statement.execute(
            "INSERT INTO "
                + TableSet.SCHEMA
                + ".schema_version (version) VALUES ("
                + version
                + ")");
      }
      connection.commit();
      return current;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /**
   * Before version 1 creates the tables, any relation of their names in the schema is someone
   * else's: a bounded run's swap would drop it later, so the run stops here instead, with a message
   * that says so rather than PostgreSQL's "already exists".
   */
  private static void refuseTablesOfOthers(Connection connection) throws SQLException {
    for (String table : TableSet.NAMES) {
      try (PreparedStatement statement =
          connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
        statement.setString(1, TableSet.CURRENT.qualified(table));
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            throw new SQLException(
                TableSet.CURRENT.qualified(table)
                    + " exists, but data-events did not create it ("
                    + TableSet.SCHEMA
                    + ".schema_version records no version): it replaces only tables of its own;"
                    + " rename or move that table, or use another database");
          }
        }
      }
    }
  }

  static String script(String file) {
    try (InputStream in = SchemaMigrations.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("migration missing from the jar: " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
