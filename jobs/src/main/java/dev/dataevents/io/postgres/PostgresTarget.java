package dev.dataevents.io.postgres;

import dev.dataevents.text.PercentEncoding;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * A PostgreSQL database to write to: its JDBC URL, which never holds a password, and the
 * credentials given apart from it. The password travels with the job to the TaskManagers (they
 * connect), but is never shown: {@link #toString()} leaves it out, and so does every message here.
 */
public final class PostgresTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  /** URL parameters that carry a secret, refused in the URL (which may be logged). */
  private static final String[] SECRET_PARAMETERS = {"password", "sslpassword"};

  private final String url;
  private final String user;
  private final String password;

  private PostgresTarget(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * A database to connect to.
   *
   * @param url {@code jdbc:postgresql://HOST:PORT/DB}, optionally with {@code ?user=...} and other
   *     driver parameters, but no password
   * @param user the user when the URL names none (as {@code PGUSER} gives it), or null
   * @param password the password, or null (trust or certificate authentication)
   * @throws IllegalArgumentException when the URL is not a PostgreSQL one or holds credentials; the
   *     message never repeats the URL
   */
  public static PostgresTarget of(String url, String user, String password) {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql://");
    }
    int query = url.indexOf('?');
    String address = query < 0 ? url : url.substring(0, query);
    if (address.contains("@")) {
      throw new IllegalArgumentException(
          "the JDBC URL must not hold credentials (user:password@): give the user as ?user=..."
              + " and the password apart from the URL");
    }
    String urlUser = null;
    if (query >= 0) {
      for (String parameter : url.substring(query + 1).split("&")) {
        int eq = parameter.indexOf('=');
        // Compared as the driver decodes them; and a value that holds "password=" (a user
        // "u;password=..." or "u%26password%3D...") is refused too: the driver may not take it for
        // a password, but the URL is shown in messages and logs.
        String name = decoded(eq < 0 ? parameter : parameter.substring(0, eq));
        String value = eq < 0 ? "" : decoded(parameter.substring(eq + 1));
        for (String secret : SECRET_PARAMETERS) {
          if (name.equals(secret) || value.contains(secret + "=")) {
            throw new IllegalArgumentException(
                "the JDBC URL must not hold a password ("
                    + secret
                    + "=...): give it apart from the URL, where no log or process list shows it");
          }
        }
        if (name.equals("user") && eq >= 0) {
          urlUser = parameter.substring(eq + 1);
        }
      }
    }
    return new PostgresTarget(url, urlUser != null ? null : blankToNull(user), password);
  }

  /** Percent-escapes decoded (as the driver decodes them), lower-cased. */
  private static String decoded(String text) {
    return PercentEncoding.decode(text).toLowerCase(Locale.ROOT);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The URL, which holds no password: fit for logs and messages. */
  public String url() {
    return url;
  }

  /**
   * A new connection, through the driver class itself rather than {@code DriverManager} (which does
   * not see drivers of a Flink job's own class loader).
   */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "data-events");
    // A peer gone without a word (a cut network) is found by the kernel's keep-alive probes rather
    // than never; a parameter in the URL still wins.
    properties.setProperty("tcpKeepAlive", "true");
    Connection connection = new org.postgresql.Driver().connect(url, properties);
    if (connection == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + url);
    }
    return connection;
  }

  @Override
  public String toString() {
    return "PostgresTarget[" + url + (user != null ? ", user " + user : "") + "]";
  }
}
