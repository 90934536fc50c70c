package dev.dataevents.localkafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Prints a TCP port free on 127.0.0.1 now (for {@code bin/local-kafka start --port 0}). */
public final class FreePort {
  private FreePort() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      System.out.println(socket.getLocalPort());
    }
  }
}
