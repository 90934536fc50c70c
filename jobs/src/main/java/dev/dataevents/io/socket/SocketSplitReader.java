package dev.dataevents.io.socket;

import dev.dataevents.io.LineReader;
import dev.dataevents.io.socket.SocketRead.Connection;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the socket on the source's fetcher thread: connects (with a timeout), reads lines through a
 * {@link LineReader} (UTF-8, at most the line limit held of a line), and when the peer closes, the
 * connection drops or stays silent past the read timeout, connects again after a growing pause.
 * Nothing here ends the source. Lines go out in batches of at most {@value #MAX_LINES} lines or
 * {@value #MAX_CHARS} characters, and as soon as no more bytes are at hand.
 */
final class SocketSplitReader implements SplitReader<SocketRead, SocketSplit> {
  private static final Logger LOG = LoggerFactory.getLogger(SocketSplitReader.class);

  static final int MAX_LINES = 1024;
  static final long MAX_CHARS = 4L * 1024 * 1024;

  /** Reads block at most this long, so that a wake-up (the source closing) is seen soon. */
  static final int POLL_MILLIS = 200;

  private final String host;
  private final int port;
  private final String name;
  private final SocketSettings settings;
  private final Backoff backoff;
  private final AtomicBoolean wakeUp = new AtomicBoolean();
  private final Object sleep = new Object();

  private String splitId;
  private Socket socket;
  private LineReader lines;
  private long consumedBefore;
  private boolean goodConnection;
  private volatile long lastDataNanos;
  private long nextAttemptNanos = System.nanoTime();
  private Connection state;

  SocketSplitReader(String host, int port, SocketSettings settings) {
    this.host = host;
    this.port = port;
    this.name = "socket:" + host + ":" + port;
    this.settings = settings;
    this.backoff = new Backoff(settings.firstBackoff(), settings.maxBackoff());
  }

  /** The connection's state as last reported (null before the first attempt). */
  Connection state() {
    return state;
  }

  @Override
  public RecordsWithSplitIds<SocketRead> fetch() {
    Batch batch = new Batch();
    while (splitId != null && !wakeUp.getAndSet(false)) {
      if (socket == null) {
        if (!batch.isEmpty() || !sleepUntil(nextAttemptNanos)) {
          break;
        }
        connect(batch);
        if (!batch.isEmpty()) {
          break; // a change of the connection: out now, so that the console shows it
        }
        continue;
      }
      try {
        LineReader.Line line = lines.next();
        if (line == null) {
          disconnect("the peer closed the connection", batch);
          continue;
        }
        add(line, batch);
        if (!goodConnection) {
          goodConnection = true;
          backoff.reset();
        }
        if (batch.full() || !lines.ready()) {
          break;
        }
      } catch (SocketTimeoutException e) {
        // Nothing more at hand: hand on what was read, else wait on (up to the read timeout).
        if (!batch.isEmpty()) {
          break;
        }
        long silentMillis = (System.nanoTime() - lastDataNanos) / 1_000_000;
        if (silentMillis >= settings.readTimeout().toMillis()) {
          disconnect("nothing received for " + silentMillis + " ms", batch);
        }
      } catch (IOException e) {
        disconnect(describe(e), batch);
      }
    }
    return batch.build(splitId);
  }

  private void add(LineReader.Line line, Batch batch) {
    long consumed = lines.consumed();
    batch.add(SocketRead.line(line.text(), line.tooLong(), consumed - consumedBefore));
    consumedBefore = consumed;
  }

  private void connect(Batch batch) {
    Socket attempt = new Socket();
    try {
      attempt.setKeepAlive(true);
      attempt.setSoTimeout(POLL_MILLIS);
      attempt.connect(
          new InetSocketAddress(host, port), (int) settings.connectTimeout().toMillis());
      socket = attempt;
      lastDataNanos = System.nanoTime();
      lines = new LineReader(new Watched(attempt.getInputStream()), settings.maxLineBytes(), true);
      consumedBefore = 0;
      goodConnection = false;
      LOG.info("{}: connected", name);
      report(Connection.CONNECTED, batch);
    } catch (IOException e) {
      closeQuietly(attempt);
      long delay = backoff.next();
      nextAttemptNanos = System.nanoTime() + delay * 1_000_000;
      LOG.warn("{}: cannot connect ({}); trying again in {} ms", name, describe(e), delay);
      report(Connection.RECONNECTING, batch);
    }
  }

  /** Gives the connection up: what was read of a line begun is a line; then waits and retries. */
  private void disconnect(String reason, Batch batch) {
    LineReader.Line partial = lines.partial();
    if (partial != null) {
      add(partial, batch);
    }
    closeQuietly(socket);
    socket = null;
    lines = null;
    long delay = backoff.next();
    nextAttemptNanos = System.nanoTime() + delay * 1_000_000;
    LOG.warn("{}: {}; reconnecting in {} ms", name, reason, delay);
    report(Connection.RECONNECTING, batch);
  }

  private void report(Connection now, Batch batch) {
    if (state != now) {
      state = now;
      batch.add(SocketRead.connection(now));
    }
  }

  /** Sleeps until {@code deadline} (nanoTime) unless woken up; false when woken up. */
  private boolean sleepUntil(long deadline) {
    synchronized (sleep) {
      long remaining;
      while (!wakeUp.get() && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          sleep.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !wakeUp.get();
  }

  @Override
  public void handleSplitsChanges(SplitsChange<SocketSplit> change) {
    if (change instanceof SplitsAddition<SocketSplit> addition) {
      addition.splits().forEach(split -> splitId = split.splitId());
    }
  }

  @Override
  public void wakeUp() {
    wakeUp.set(true);
    synchronized (sleep) {
      sleep.notifyAll();
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
    socket = null;
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** Notes when bytes last arrived, for the read timeout. */
  private final class Watched extends FilterInputStream {
    Watched(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        lastDataNanos = System.nanoTime();
      }
      return n;
    }
  }

  /** The reads of one fetch, with the batch limits. */
  private static final class Batch {
    private final java.util.List<SocketRead> reads = new java.util.ArrayList<>();
    private long chars;

    void add(SocketRead read) {
      reads.add(read);
      chars += read.text() == null ? 0 : read.text().length();
    }

    boolean isEmpty() {
      return reads.isEmpty();
    }

    boolean full() {
      return reads.size() >= MAX_LINES || chars >= MAX_CHARS;
    }

    RecordsWithSplitIds<SocketRead> build(String splitId) {
      RecordsBySplits.Builder<SocketRead> builder = new RecordsBySplits.Builder<>();
      if (splitId != null) {
        reads.forEach(read -> builder.add(splitId, read));
      }
      return builder.build();
    }
  }
}
