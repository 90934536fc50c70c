package dev.dataevents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {
  @Test
  void readsTheAddressesAsProcWritesThem() throws Exception {
    assertThat(ListeningSockets.address("0100007F:1F90"))
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
    assertThat(ListeningSockets.address("00000000:0050").getAddress().isAnyLocalAddress()).isTrue();
    assertThat(ListeningSockets.address("00000000000000000000000001000000:0050"))
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 80));
    assertThat(ListeningSockets.address("0000000000000000FFFF00000100007F:0050"))
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80));
    assertThat(ListeningSockets.address("0202000C:0050"))
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("12.0.2.2"), 80));
  }

  @Test
  void findsThisProcesssOwnServerSocket() throws IOException {
    long self = ProcessHandle.current().pid();
    InetSocketAddress address;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
      assertThat(ListeningSockets.of(self)).contains(address);
    }
    assertThat(ListeningSockets.of(self)).doesNotContain(address);
  }
}
