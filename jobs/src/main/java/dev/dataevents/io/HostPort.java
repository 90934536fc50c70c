package dev.dataevents.io;

import java.util.Optional;

/**
 * A network address as the options write it, {@code HOST:PORT}: the last colon splits, so a host
 * may hold colons of its own (an IPv6 address), and the port is one to five ASCII digits. Whether
 * the port is one a connection can use is a separate question ({@link #portInRange}), so that an
 * option can word the two errors apart.
 */
public record HostPort(String host, int port) {
  /** The highest TCP port. */
  public static final int MAX_PORT = 65_535;

  /** {@code text} read as {@code HOST:PORT}, or empty when it is not of that shape. */
  public static Optional<HostPort> parse(String text) {
    int colon = text.lastIndexOf(':');
    int digits = text.length() - colon - 1;
    if (colon <= 0 || digits < 1 || digits > 5) {
      return Optional.empty();
    }
    for (int i = colon + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(
        new HostPort(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1))));
  }

  /** Whether the port is 1-65535 (five digits reach 99999, and port 0 means "any"). */
  public boolean portInRange() {
    return port >= 1 && port <= MAX_PORT;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
