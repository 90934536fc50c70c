package dev.dataevents.io.socket;

import dev.dataevents.io.HostPort;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Lines of a TCP socket, as a Flink source that runs until it is stopped: it reconnects with
 * backoff when the peer closes or the connection drops, reads UTF-8 whatever the platform's
 * charset, and holds at most the line limit of a line. One split, so one reader (run it at
 * parallelism 1); the split's state is the line count, so numbering goes on after a restore.
 */
public final class SocketSource
    implements Source<SocketRead, SocketSplit, List<SocketSplit>>, ResultTypeQueryable<SocketRead> {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;
  private final SocketSettings settings;

  public SocketSource(String host, int port, SocketSettings settings) {
    this.host = host;
    this.port = port;
    this.settings = settings;
  }

  /** A source for {@code HOST:PORT} (see {@link HostPort}) with the default settings. */
  public static SocketSource of(String hostAndPort, int maxLineBytes) {
    HostPort address =
        HostPort.parse(hostAndPort)
            .orElseThrow(() -> new IllegalArgumentException("not HOST:PORT: " + hostAndPort));
    return new SocketSource(address.host(), address.port(), SocketSettings.defaults(maxLineBytes));
  }

  /** The source as rejections name it: {@code socket:HOST:PORT}. */
  public String name() {
    return "socket:" + host + ":" + port;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<SocketRead, SocketSplit> createReader(SourceReaderContext context) {
    return new SocketReader(() -> new SocketSplitReader(host, port, settings), context);
  }

  @Override
  public SplitEnumerator<SocketSplit, List<SocketSplit>> createEnumerator(
      SplitEnumeratorContext<SocketSplit> context) {
    return new SocketEnumerator(context, List.of(new SocketSplit(0)));
  }

  @Override
  public SplitEnumerator<SocketSplit, List<SocketSplit>> restoreEnumerator(
      SplitEnumeratorContext<SocketSplit> context, List<SocketSplit> unassigned) {
    return new SocketEnumerator(context, unassigned);
  }

  @Override
  public SimpleVersionedSerializer<SocketSplit> getSplitSerializer() {
    return SocketSplit.Serializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<List<SocketSplit>> getEnumeratorCheckpointSerializer() {
    return SocketSplit.PendingSerializer.INSTANCE;
  }

  @Override
  public TypeInformation<SocketRead> getProducedType() {
    return TypeInformation.of(SocketRead.class);
  }
}
