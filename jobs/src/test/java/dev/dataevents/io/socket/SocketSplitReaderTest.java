package dev.dataevents.io.socket;

import static dev.dataevents.io.socket.SocketRead.Connection.CONNECTED;
import static dev.dataevents.io.socket.SocketRead.Connection.RECONNECTING;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket reading itself, against a server on the loopback address. */
class SocketSplitReaderTest {
  private static final int LIMIT = 1000;

  private ServerSocket server;
  private SocketSplitReader reader;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setSoTimeout(10_000);
  }

  @AfterEach
  void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
    server.close();
  }

  private SocketSplitReader reader(Duration readTimeout) {
    reader =
        new SocketSplitReader(
            "127.0.0.1",
            server.getLocalPort(),
            new SocketSettings(
                LIMIT,
                Duration.ofSeconds(2),
                readTimeout,
                Duration.ofMillis(50),
                Duration.ofMillis(400)));
    reader.handleSplitsChanges(new SplitsAddition<>(List.of(new SocketSplit(0))));
    return reader;
  }

  private static List<SocketRead> drain(RecordsWithSplitIds<SocketRead> records) {
    List<SocketRead> out = new ArrayList<>();
    while (records.nextSplit() != null) {
      for (SocketRead r = records.nextRecordFromSplit();
          r != null;
          r = records.nextRecordFromSplit()) {
        out.add(r);
      }
    }
    records.recycle();
    return out;
  }

  /** Fetches until the reads so far hold one that {@code until} accepts. */
  private List<SocketRead> fetchUntil(Predicate<SocketRead> until) {
    List<SocketRead> reads = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (reads.stream().noneMatch(until)) {
      assertThat(System.nanoTime()).as("reads so far: %s", reads).isLessThan(deadline);
      reads.addAll(drain(reader.fetch()));
    }
    return reads;
  }

  private static Predicate<SocketRead> text(String text) {
    return r -> text.equals(r.text());
  }

  private static Predicate<SocketRead> state(SocketRead.Connection state) {
    return r -> r.connection() == state;
  }

  private static List<String> texts(List<SocketRead> reads) {
    return reads.stream().filter(SocketRead::isLine).map(SocketRead::text).toList();
  }

  private static void send(Socket peer, String text) throws IOException {
    OutputStream out = peer.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void readsUtf8LinesAndReconnectsWhenThePeerCloses() throws Exception {
    reader(Duration.ofMinutes(1));
    assertThat(drain(reader.fetch())).containsExactly(SocketRead.connection(CONNECTED));
    List<SocketRead> reads = new ArrayList<>();
    try (Socket peer = server.accept()) {
      send(peer, "\uFEFFfirst\r\nzo\u00e9 \uD83D\uDE00\n\nhalf a li");
      reads.addAll(fetchUntil(text("")));
    }
    // The peer closed: the line it began is a line, then the source says it reconnects.
    reads.addAll(fetchUntil(state(RECONNECTING)));
    reads.addAll(fetchUntil(state(CONNECTED)));
    try (Socket peer = server.accept()) {
      send(peer, "second connection\n");
      reads.addAll(fetchUntil(text("second connection")));
    }
    assertThat(texts(reads))
        .containsExactly("first", "zo\u00e9 \uD83D\uDE00", "", "half a li", "second connection");
    assertThat(reads.stream().filter(r -> !r.isLine()).map(SocketRead::connection))
        .containsExactly(RECONNECTING, CONNECTED);
    // Bytes as sent, line ends and the byte-order mark included.
    assertThat(reads.stream().filter(SocketRead::isLine).mapToLong(SocketRead::bytesRead))
        .containsExactly(10L, 10L, 1L, 9L, 18L);
  }

  @Test
  void aPeerSendingMegabytesWithoutANewlineGivesOneTooLongLineOfItsFirst1024Characters()
      throws Exception {
    reader(Duration.ofMinutes(1));
    drain(reader.fetch());
    byte[] chunk = new byte[1024 * 1024];
    Arrays.fill(chunk, (byte) 'x');
    CompletableFuture<Void> sent;
    try (Socket peer = server.accept()) {
      sent =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 32; i++) {
                    peer.getOutputStream().write(chunk);
                  }
                  send(peer, "\nok\n");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      List<SocketRead> reads = fetchUntil(text("ok"));
      sent.get(10, TimeUnit.SECONDS);
      assertThat(reads)
          .containsExactly(
              new SocketRead(0, "x".repeat(1024), true, 32L * 1024 * 1024 + 1, null),
              new SocketRead(0, "ok", false, 3, null));
    }
  }

  @Test
  void aSilentConnectionIsGivenUpAfterTheReadTimeoutAndMadeAgain() throws Exception {
    reader(Duration.ofMillis(600));
    drain(reader.fetch());
    try (Socket silent = server.accept()) {
      long start = System.nanoTime();
      List<SocketRead> reads = fetchUntil(state(RECONNECTING));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
      assertThat(texts(reads)).isEmpty();
      fetchUntil(state(CONNECTED));
      try (Socket again = server.accept()) {
        send(again, "after\n");
        assertThat(texts(fetchUntil(text("after")))).containsExactly("after");
      }
    }
  }

  @Test
  void noServerMeansReconnectingUntilOneListens() throws Exception {
    int port = server.getLocalPort();
    server.close();
    reader(Duration.ofMinutes(1));
    assertThat(drain(reader.fetch())).containsExactly(SocketRead.connection(RECONNECTING));
    // Refused attempts go on quietly: no second RECONNECTING.
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    assertThat(drain(reader.fetch())).containsExactly(SocketRead.connection(CONNECTED));
  }

  @Test
  void wakeUpEndsAFetchThatWaitsForData() throws Exception {
    reader(Duration.ofMinutes(1));
    drain(reader.fetch());
    try (Socket silent = server.accept()) {
      CompletableFuture<List<SocketRead>> fetch =
          CompletableFuture.supplyAsync(() -> drain(reader.fetch()));
      Thread.sleep(300);
      assertThat(fetch).isNotDone();
      long start = System.nanoTime();
      reader.wakeUp();
      assertThat(fetch.get(5, TimeUnit.SECONDS)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void batchesStopAtAThousandLinesOrFourMegabytesOfText() throws Exception {
    reader =
        new SocketSplitReader(
            "127.0.0.1", server.getLocalPort(), SocketSettings.defaults(2 * 1024 * 1024));
    reader.handleSplitsChanges(new SplitsAddition<>(List.of(new SocketSplit(0))));
    drain(reader.fetch());
    byte[] mebibyteLine = ("y".repeat(1024 * 1024) + "\n").getBytes(StandardCharsets.UTF_8);
    try (Socket peer = server.accept()) {
      send(peer, "x\n".repeat(3000));
      Thread.sleep(300); // all of it at hand: the batch ends at its limit
      assertThat(drain(reader.fetch())).hasSize(SocketSplitReader.MAX_LINES);
      CompletableFuture<Void> sent =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 10; i++) {
                    peer.getOutputStream().write(mebibyteLine);
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      int longLines = 0;
      int shortLines = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (longLines < 10) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        List<SocketRead> batch = drain(reader.fetch());
        long inBatch = batch.stream().filter(r -> r.text().length() > 1000).count();
        assertThat(inBatch).isLessThanOrEqualTo(4);
        longLines += (int) inBatch;
        shortLines += batch.size() - (int) inBatch;
      }
      sent.get(10, TimeUnit.SECONDS);
      assertThat(shortLines).isEqualTo(3000 - SocketSplitReader.MAX_LINES);
    }
  }
}
