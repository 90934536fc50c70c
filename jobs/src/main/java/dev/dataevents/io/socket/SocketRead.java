package dev.dataevents.io.socket;

/**
 * What the socket source emits: a line, or a change of its connection (for the console to show).
 *
 * @param line a line's number, from 1, counted across connections and restores; for a change of the
 *     connection, the number of the last line read before it
 * @param text the line decoded as UTF-8, without its line end, a trailing {@code \r} or a leading
 *     byte-order mark; for a line over the size limit only its first 1024 characters; null for a
 *     change of the connection
 * @param tooLong whether the line was longer than the size limit
 * @param bytesRead bytes of the socket the line took, its line end included
 * @param connection null for a line; else the connection's new state
 */
public record SocketRead(
    long line, String text, boolean tooLong, long bytesRead, Connection connection) {

  /** The states of the connection that the console shows. */
  public enum Connection {
    /** Connected; lines flow. */
    CONNECTED,
    /** Not connected: the peer closed, the connection dropped or could not be made; retrying. */
    RECONNECTING
  }

  /** A line not numbered yet (the source numbers lines as it emits them). */
  static SocketRead line(String text, boolean tooLong, long bytesRead) {
    return new SocketRead(0, text, tooLong, bytesRead, null);
  }

  /** The connection changed to {@code state}. */
  static SocketRead connection(Connection state) {
    return new SocketRead(0, null, false, 0, state);
  }

  /** Whether this is a line (not a change of the connection). */
  public boolean isLine() {
    return connection == null;
  }

  SocketRead numbered(long number) {
    return new SocketRead(number, text, tooLong, bytesRead, connection);
  }
}
