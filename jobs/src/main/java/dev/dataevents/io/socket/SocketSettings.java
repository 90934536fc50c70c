package dev.dataevents.io.socket;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the socket source connects and reads.
 *
 * @param maxLineBytes the line size limit: no more of a line is held
 * @param connectTimeout how long one attempt to connect may take
 * @param readTimeout how long a connection may send nothing before it is given up and made again (a
 *     dropped connection that nobody closed looks like silence)
 * @param firstBackoff the wait before the first new attempt after a connection failed
 * @param maxBackoff the longest wait between attempts (the wait doubles up to it)
 */
public record SocketSettings(
    int maxLineBytes,
    Duration connectTimeout,
    Duration readTimeout,
    Duration firstBackoff,
    Duration maxBackoff)
    implements Serializable {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** The defaults, with {@code maxLineBytes} as the size limit. */
  public static SocketSettings defaults(int maxLineBytes) {
    return new SocketSettings(
        maxLineBytes, CONNECT_TIMEOUT, READ_TIMEOUT, FIRST_BACKOFF, MAX_BACKOFF);
  }
}
