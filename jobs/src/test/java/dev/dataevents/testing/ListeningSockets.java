package dev.dataevents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on, from Linux's {@code /proc}: the socket inodes among its
 * open files, looked up in its network namespace's {@code tcp} and {@code tcp6} tables (which list
 * every process's sockets, so the inodes say which are its own).
 */
public final class ListeningSockets {
  /** A socket's state in the tables: {@code TCP_LISTEN}. */
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** The addresses {@code pid} listens on now; empty once it has ended. */
  public static List<InetSocketAddress> of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      Set<String> inodes = socketInodes(proc.resolve("fd"));
      List<InetSocketAddress> listening = new ArrayList<>();
      for (String table : List.of("tcp", "tcp6")) {
        for (String line : Files.readAllLines(proc.resolve("net").resolve(table))) {
          String[] f = line.trim().split("\\s+");
          // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
          if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
            listening.add(address(f[1]));
          }
        }
      }
      return listening;
    } catch (NoSuchFileException e) {
      return List.of(); // it ended while it was read
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> socketInodes(Path fds) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
      for (Path fd : entries) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (NoSuchFileException e) {
          continue; // closed meanwhile
        }
        if (target.startsWith("socket:[")) {
          inodes.add(target.substring("socket:[".length(), target.length() - 1));
        }
      }
    }
    return inodes;
  }

  /**
   * {@code HEXADDR:HEXPORT} as the tables write it: the address as 32-bit words in the host's byte
   * order (little-endian here), so each word's four bytes are reversed.
   */
  static InetSocketAddress address(String hex) {
    int colon = hex.indexOf(':');
    String host = hex.substring(0, colon);
    byte[] bytes = new byte[host.length() / 2];
    for (int word = 0; word < bytes.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        int at = 2 * (word + 3 - i);
        bytes[word + i] = (byte) Integer.parseInt(host.substring(at, at + 2), 16);
      }
    }
    try {
      // An IPv4-mapped IPv6 address comes back as the IPv4 address.
      return new InetSocketAddress(
          InetAddress.getByAddress(bytes), Integer.parseInt(hex.substring(colon + 1), 16));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + hex, e);
    }
  }
}
