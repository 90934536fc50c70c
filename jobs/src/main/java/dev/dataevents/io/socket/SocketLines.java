package dev.dataevents.io.socket;

import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceKind;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Turns what the socket source reads into the {@link RawLine}s the pipeline takes (source {@code
 * socket:HOST:PORT}, index 0: a stream keeps the first copy to arrive), and its connection changes
 * into the accumulator {@value #RECONNECTING} (1 while reconnecting, 0 while connected) that the
 * console's progress line reads. Runs at parallelism 1, chained to the source.
 */
public final class SocketLines extends RichFlatMapFunction<SocketRead, RawLine> {
  private static final long serialVersionUID = 1L;

  /** Name of the accumulator that says whether the socket is reconnecting. */
  public static final String RECONNECTING = "socket_reconnecting";

  private final String source;
  private transient LongMaximum reconnecting;

  public SocketLines(String source) {
    this.source = source;
  }

  @Override
  public void open(OpenContext openContext) {
    reconnecting = new LongMaximum();
    getRuntimeContext().addAccumulator(RECONNECTING, reconnecting);
  }

  @Override
  public void flatMap(SocketRead read, Collector<RawLine> out) {
    if (read.isLine()) {
      out.collect(
          new RawLine(
              0,
              source,
              SourceKind.EVENTS,
              read.line(),
              read.text(),
              read.tooLong(),
              read.bytesRead()));
      return;
    }
    // One subtask: the accumulator holds the latest state rather than a maximum.
    reconnecting.resetLocal();
    reconnecting.add(read.connection() == SocketRead.Connection.RECONNECTING ? 1L : 0L);
  }
}
