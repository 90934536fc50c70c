package dev.dataevents.testing;

import dev.dataevents.json.Json;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a database the way an application does, through {@code data_events.event_summary} and
 * {@code data_events.event_list}, and compares with the files as jsonb: every value as PostgreSQL's
 * jsonb holds it (key order aside, numbers by value), rendered as jsonb's text.
 */
public final class DatabaseReads {
  private DatabaseReads() {}

  /** The contact key of a summary or listing line of a run without a contacts directory. */
  public static String contactKey(String line) throws Exception {
    JsonNode node = Json.mapper().readTree(line);
    if (node.hasNonNull("user_id")) {
      return "user_id:" + node.get("user_id").asText();
    }
    if (node.hasNonNull("intercom_user_id")) {
      return "id:" + node.get("intercom_user_id").asText();
    }
    return "email:" + node.get("email").asText().toLowerCase(Locale.ROOT);
  }

  public static String workspace(String line) throws Exception {
    return Json.mapper().readTree(line).get("workspace_id").asText();
  }

  public static int page(String line) throws Exception {
    return Json.mapper().readTree(line).get("pages").get("page").asInt();
  }

  /** Lines of JSON as jsonb text, in the same order. */
  public static List<String> asJsonb(Connection c, List<String> lines) throws SQLException {
    List<String> out = new ArrayList<>(lines.size());
    Array array = c.createArrayOf("text", lines.toArray(new String[0]));
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT x::jsonb::text FROM unnest(?::text[]) WITH ORDINALITY AS t(x, n) ORDER BY n")) {
      s.setArray(1, array);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** {@code event_summary(workspace, key)} as jsonb text, or null. */
  public static String summary(Connection c, String workspace, String key) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT data_events.event_summary(?, ?)::text")) {
      s.setString(1, workspace);
      s.setString(2, key);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** {@code event_list(workspace, key, page, perPage)} as jsonb text, or null. */
  public static String page(Connection c, String workspace, String key, int page, int perPage)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT data_events.event_list(?, ?, ?, ?)::text")) {
      s.setString(1, workspace);
      s.setString(2, key);
      s.setInt(3, page);
      s.setInt(4, perPage);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** Every contact's summary as jsonb text, sorted. */
  public static List<String> allSummaries(Connection c) throws SQLException {
    return column(
        c,
        "SELECT data_events.event_summary(workspace_id, contact_key)::text"
            + " FROM data_events.contacts ORDER BY 1");
  }

  /** Every page of every contact for {@code perPage}, as jsonb text, sorted. */
  public static List<String> allPages(Connection c, int perPage) throws SQLException {
    return column(
        c,
        "SELECT data_events.event_list(c.workspace_id, c.contact_key, p, "
            + perPage
            + ")::text FROM data_events.contacts c,"
            + " generate_series(1, (SELECT ((count(*) + "
            + (perPage - 1)
            + ") / "
            + perPage
            + ")::int FROM data_events.listed_events l"
            + " WHERE l.workspace_id = c.workspace_id AND l.contact_key = c.contact_key)) p"
            + " ORDER BY 1");
  }

  public static List<String> column(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
