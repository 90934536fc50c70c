package dev.dataevents.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A counting function on the harness: its counts go into operator state at each checkpoint, come
 * back when it is restored (summed when subtasks were merged by rescaling) and go on from there.
 */
class CountingFunctionTest {
  private static final int MAX_PARALLELISM = 128;

  private static OneInputStreamOperatorTestHarness<Long, Long> harness(int parallelism, int index)
      throws Exception {
    return new OneInputStreamOperatorTestHarness<>(
        new StreamMap<>(new CountingMap()), MAX_PARALLELISM, parallelism, index);
  }

  /** The counts a harness's operator holds in its state (after a snapshot). */
  private static List<String> stateEntries(OneInputStreamOperatorTestHarness<Long, Long> harness)
      throws Exception {
    List<String> entries = new ArrayList<>();
    harness
        .getOperator()
        .getOperatorStateBackend()
        .getListState(CheckpointedCounts.descriptor())
        .get()
        .forEach(entries::add);
    return entries;
  }

  private static OperatorSubtaskState countAndSnapshot(int index, long from, long to)
      throws Exception {
    try (var harness = harness(2, index)) {
      harness.open();
      for (long n = from; n <= to; n++) {
        harness.processElement(new StreamRecord<>(n));
      }
      return harness.snapshot(1, 1);
    }
  }

  @Test
  void aSnapshotHoldsEveryCountAsNameAndValue() throws Exception {
    try (var harness = harness(1, 0)) {
      harness.open();
      harness.processElement(new StreamRecord<>(1L));
      harness.processElement(new StreamRecord<>(2L));
      harness.processElement(new StreamRecord<>(3L));
      harness.snapshot(1, 1);
      assertThat(stateEntries(harness)).containsExactly("input_records=3", "rejected.odd=2");
    }
  }

  @Test
  void restoredCountsOfMergedSubtasksAreSummedAndGoOn() throws Exception {
    OperatorSubtaskState first = countAndSnapshot(0, 1, 10); // 10 numbers, 5 odd
    OperatorSubtaskState second = countAndSnapshot(1, 11, 17); // 7 numbers, 4 odd
    OperatorSubtaskState merged =
        AbstractStreamOperatorTestHarness.repartitionOperatorState(
            AbstractStreamOperatorTestHarness.repackageState(first, second),
            MAX_PARALLELISM,
            2,
            1,
            0);

    try (var harness = harness(1, 0)) {
      harness.initializeState(merged);
      harness.open();
      harness.processElement(new StreamRecord<>(18L));
      harness.processElement(new StreamRecord<>(19L));
      harness.snapshot(2, 2);
      assertThat(stateEntries(harness)).containsExactly("input_records=19", "rejected.odd=10");
    }
  }

  @Test
  void aCountNoCounterTookOverIsKept() throws Exception {
    OperatorSubtaskState state = countAndSnapshot(0, 1, 3);
    // After a change of code the function no longer counts odd numbers: their total stays.
    try (var harness =
        new OneInputStreamOperatorTestHarness<>(
            new StreamMap<>(
                new CountingMap() {
                  @Override
                  public void open(OpenContext openContext) {
                    reportCounts().counter(Counters.INPUT_RECORDS);
                  }

                  @Override
                  public Long map(Long n) {
                    return n;
                  }
                }),
            MAX_PARALLELISM,
            2,
            0)) {
      harness.initializeState(state);
      harness.open();
      harness.snapshot(2, 2);
      assertThat(stateEntries(harness)).containsExactly("input_records=3", "rejected.odd=2");
    }
  }
}
