package dev.dataevents.io.socket;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * The socket source's reader: a {@link SocketSplitReader} reads on Flink's fetcher thread and hands
 * over batches; here, on the task's thread, lines are numbered and the count is what a checkpoint
 * keeps (see {@link SocketSplit}).
 */
final class SocketReader
    extends SingleThreadMultiplexSourceReaderBase<
        SocketRead, SocketRead, SocketSplit, SocketReader.LineCount> {

  SocketReader(Supplier<SocketSplitReader> splitReader, SourceReaderContext context) {
    super(splitReader::get, new Numbering(), context.getConfiguration(), context);
  }

  @Override
  protected void onSplitFinished(Map<String, LineCount> finishedSplitIds) {
    // A socket split never finishes.
  }

  @Override
  protected LineCount initializedState(SocketSplit split) {
    LineCount count = new LineCount();
    count.lines = split.linesRead();
    return count;
  }

  @Override
  protected SocketSplit toSplitType(String splitId, LineCount count) {
    return new SocketSplit(count.lines);
  }

  /** Lines emitted so far, the split's mutable state. */
  static final class LineCount {
    long lines;
  }

  /** Numbers each line as it is emitted, so the count matches what downstream has seen. */
  static final class Numbering implements RecordEmitter<SocketRead, SocketRead, LineCount> {
    @Override
    public void emitRecord(SocketRead read, SourceOutput<SocketRead> output, LineCount count) {
      if (read.isLine()) {
        count.lines++;
      }
      output.collect(read.numbered(count.lines));
    }
  }
}
