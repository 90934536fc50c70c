package dev.dataevents.io.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

/** The source's parts around the reading: its one split, its enumerator, and line numbering. */
class SocketSourceTest {

  @Test
  void neverEndsOnItsOwn() {
    assertThat(SocketSource.of("127.0.0.1:9999", 100).getBoundedness())
        .isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    assertThat(SocketSource.of("127.0.0.1:9999", 100).name()).isEqualTo("socket:127.0.0.1:9999");
    assertThat(SocketSource.of("[::1]:9999", 100).name()).isEqualTo("socket:[::1]:9999");
  }

  @Test
  void theSplitAndTheEnumeratorStateSurviveSerialization() throws Exception {
    SocketSplit split = new SocketSplit(1234567890123L);
    SocketSplit.Serializer serializer = SocketSplit.Serializer.INSTANCE;
    assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split)))
        .isEqualTo(split);
    SocketSplit.PendingSerializer pending = SocketSplit.PendingSerializer.INSTANCE;
    for (List<SocketSplit> state : List.of(List.<SocketSplit>of(), List.of(split))) {
      assertThat(pending.deserialize(pending.getVersion(), pending.serialize(state)))
          .isEqualTo(state);
    }
  }

  @Test
  void theOneSplitGoesToTheFirstReaderAndBackToAReaderAfterAFailure() throws Exception {
    try (MockSplitEnumeratorContext<SocketSplit> context = new MockSplitEnumeratorContext<>(1)) {
      assignsTheOneSplit(context);
    }
  }

  private static void assignsTheOneSplit(MockSplitEnumeratorContext<SocketSplit> context) {
    SocketEnumerator enumerator = new SocketEnumerator(context, List.of(new SocketSplit(0)));
    enumerator.start();
    assertThat(enumerator.snapshotState(1)).containsExactly(new SocketSplit(0));

    context.registerReader(new ReaderInfo(0, "localhost"));
    enumerator.addReader(0);
    assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
    assertThat(context.getSplitsAssignmentSequence().get(0).assignment().get(0))
        .containsExactly(new SocketSplit(0));
    assertThat(enumerator.snapshotState(2)).isEmpty();
    assertThat(context.getSplitsAssignmentSequence().get(0).assignment()).hasSize(1);

    // The reader failed before a checkpoint held the split: it comes back and goes out again.
    context.unregisterReader(0);
    enumerator.addSplitsBack(List.of(new SocketSplit(7)), 0);
    assertThat(enumerator.snapshotState(3)).containsExactly(new SocketSplit(7));
    context.registerReader(new ReaderInfo(0, "localhost"));
    enumerator.addReader(0);
    assertThat(context.getSplitsAssignmentSequence()).hasSize(2);
    assertThat(context.getSplitsAssignmentSequence().get(1).assignment().get(0))
        .containsExactly(new SocketSplit(7));
  }

  @Test
  void linesAreNumberedOnFromTheSplitsCountAndConnectionChangesAreNotLines() {
    SocketReader.LineCount count = new SocketReader.LineCount();
    count.lines = 41;
    List<SocketRead> out = new ArrayList<>();
    SourceOutput<SocketRead> output =
        new SourceOutput<>() {
          @Override
          public void collect(SocketRead record) {
            out.add(record);
          }

          @Override
          public void collect(SocketRead record, long timestamp) {
            out.add(record);
          }

          @Override
          public void emitWatermark(Watermark watermark) {}

          @Override
          public void markIdle() {}

          @Override
          public void markActive() {}
        };
    SocketReader.Numbering numbering = new SocketReader.Numbering();
    numbering.emitRecord(SocketRead.line("a", false, 2), output, count);
    numbering.emitRecord(SocketRead.connection(SocketRead.Connection.RECONNECTING), output, count);
    numbering.emitRecord(SocketRead.connection(SocketRead.Connection.CONNECTED), output, count);
    numbering.emitRecord(SocketRead.line("b", true, 5), output, count);
    assertThat(out)
        .containsExactly(
            new SocketRead(42, "a", false, 2, null),
            new SocketRead(42, null, false, 0, SocketRead.Connection.RECONNECTING),
            new SocketRead(42, null, false, 0, SocketRead.Connection.CONNECTED),
            new SocketRead(43, "b", true, 5, null));
    assertThat(count.lines).isEqualTo(43);
  }
}
