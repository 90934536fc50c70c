package dev.dataevents.io.postgres;

import dev.dataevents.model.ContactState;
import dev.dataevents.model.ListedEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes contacts' whole states into a {@link TableSet}: each contact's rows are deleted and its
 * state inserted, so writing a state again (a retried batch, a stream's next snapshot, a commit
 * replayed after a restart) leaves the same rows. A batch is a few statements whatever its size:
 * its columns travel as arrays and are unnested by the server. Runs in the caller's transaction.
 */
final class ContactStateWriter {
  /**
   * PostgreSQL text cannot hold U+0000 (nor jsonb its escape): it is written as U+FFFD, the
   * replacement character, the one place where the database differs from the files.
   */
  private static final char NUL = '\u0000';

  private static final char REPLACEMENT = '\uFFFD';

  /** {@code \u0000} in JSON text, not preceded by an escaping backslash. */
  private static final Pattern ESCAPED_NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

  private ContactStateWriter() {}

  /** Replaces the rows of each contact in {@code states} by its state. */
  static void replace(Connection connection, TableSet tables, Collection<ContactState> states)
      throws SQLException {
    if (states.isEmpty()) {
      return;
    }
    List<String> workspaces = new ArrayList<>(states.size());
    List<String> keys = new ArrayList<>(states.size());
    List<String> userIds = new ArrayList<>(states.size());
    List<String> ids = new ArrayList<>(states.size());
    List<String> emails = new ArrayList<>(states.size());
    List<Long> updatedAt = new ArrayList<>(states.size());
    Columns counts = new Columns();
    Columns listed = new Columns();
    for (ContactState s : states) {
      String workspace = text(s.workspaceId());
      String key = text(s.contactKey());
      workspaces.add(workspace);
      keys.add(key);
      userIds.add(text(s.userId()));
      ids.add(text(s.id()));
      emails.add(text(s.email()));
      updatedAt.add(s.updatedAtMillis());
      for (int i = 0; i < s.eventNames().length; i++) {
        counts.workspaces.add(workspace);
        counts.keys.add(key);
        counts.names.add(text(s.eventNames()[i]));
        counts.longs1.add(s.counts()[i]);
        counts.longs2.add(s.firsts()[i]);
        counts.longs3.add(s.lasts()[i]);
      }
      for (ListedEvent e : s.listed()) {
        listed.workspaces.add(workspace);
        listed.keys.add(key);
        listed.names.add(text(e.eventName()));
        listed.longs1.add(e.createdAt());
        listed.userIds.add(text(e.userId()));
        listed.ids.add(text(e.id()));
        listed.emails.add(text(e.email()));
        listed.metadata.add(e.metadataJson() == null ? "{}" : json(e.metadataJson()));
      }
    }
    for (String table : TableSet.NAMES) {
      execute(
          connection,
          "DELETE FROM "
              + tables.qualified(table)
              + " t USING unnest(?::text[], ?::text[]) AS k(w, c)"
              + " WHERE t.workspace_id = k.w AND t.contact_key = k.c",
          texts(connection, workspaces),
          texts(connection, keys));
    }
    execute(
        connection,
        "INSERT INTO "
            + tables.contacts()
            + " (workspace_id, contact_key, user_id, intercom_user_id, email, updated_at)"
            + " SELECT w, c, u, i, e, to_timestamp(t / 1000.0)"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[])"
            + " AS x(w, c, u, i, e, t)",
        texts(connection, workspaces),
        texts(connection, keys),
        texts(connection, userIds),
        texts(connection, ids),
        texts(connection, emails),
        longs(connection, updatedAt));
    if (!counts.workspaces.isEmpty()) {
      execute(
          connection,
          "INSERT INTO "
              + tables.eventCounts()
              + " (workspace_id, contact_key, event_name, count, first_at, last_at)"
              + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::int8[], ?::int8[],"
              + " ?::int8[])",
          texts(connection, counts.workspaces),
          texts(connection, counts.keys),
          texts(connection, counts.names),
          longs(connection, counts.longs1),
          longs(connection, counts.longs2),
          longs(connection, counts.longs3));
    }
    if (!listed.workspaces.isEmpty()) {
      execute(
          connection,
          "INSERT INTO "
              + tables.listedEvents()
              + " (workspace_id, contact_key, created_at, event_name, user_id, id, email, metadata)"
              + " SELECT w, c, t, n, u, i, e, m::jsonb FROM unnest(?::text[], ?::text[],"
              + " ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
              + " AS x(w, c, t, n, u, i, e, m)",
          texts(connection, listed.workspaces),
          texts(connection, listed.keys),
          longs(connection, listed.longs1),
          texts(connection, listed.names),
          texts(connection, listed.userIds),
          texts(connection, listed.ids),
          texts(connection, listed.emails),
          texts(connection, listed.metadata));
    }
  }

  /**
   * Removes the listed events that are {@code windowSeconds} old or older at {@code nowSeconds}.
   */
  static int expireListed(
      Connection connection, TableSet tables, long nowSeconds, long windowSeconds)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "DELETE FROM " + tables.listedEvents() + " WHERE created_at <= ?")) {
      statement.setLong(1, nowSeconds - windowSeconds);
      return statement.executeUpdate();
    }
  }

  /** The columns of one child table, as parallel lists. */
  private static final class Columns {
    final List<String> workspaces = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    final List<Long> longs1 = new ArrayList<>();
    final List<Long> longs2 = new ArrayList<>();
    final List<Long> longs3 = new ArrayList<>();
    final List<String> userIds = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    final List<String> emails = new ArrayList<>();
    final List<String> metadata = new ArrayList<>();
  }

  private static void execute(Connection connection, String sql, Array... arrays)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < arrays.length; i++) {
        statement.setArray(i + 1, arrays[i]);
      }
      statement.executeUpdate();
    } finally {
      for (Array array : arrays) {
        array.free();
      }
    }
  }

  private static Array texts(Connection connection, List<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray(new String[0]));
  }

  private static Array longs(Connection connection, List<Long> values) throws SQLException {
    return connection.createArrayOf("int8", values.toArray(new Long[0]));
  }

  /** Text as PostgreSQL can hold it. */
  static String text(String s) {
    return s == null || s.indexOf(NUL) < 0 ? s : s.replace(NUL, REPLACEMENT);
  }

  /** JSON text as jsonb can hold it: an escaped U+0000 becomes U+FFFD. */
  static String json(String s) {
    String t = text(s);
    return t.contains("\\u0000")
        ? ESCAPED_NUL
            .matcher(t)
            .replaceAll("$1" + java.util.regex.Matcher.quoteReplacement("\\ufffd"))
        : t;
  }
}
