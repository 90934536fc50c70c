package dev.dataevents.job;

import static dev.dataevents.testing.Records.AS_OF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.memory.ManagedMemoryUseCase;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * In a BATCH graph the rejection stage's input sort weighs an eighth of the contact stage's, and a
 * streaming graph (no sorted inputs) is left alone.
 */
class SortMemoryTest {
  @Test
  void theRejectionSortGetsAnEighthOfTheContactSortsWeight() {
    Map<String, Integer> weights = sortWeights(graph(RuntimeExecutionMode.BATCH));

    assertThat(weights.get(Topology.UID_CONTACTS)).isPositive();
    assertThat(weights.get(Topology.UID_REJECTIONS))
        .isEqualTo(weights.get(Topology.UID_CONTACTS) / SortMemory.REJECTIONS_DIVISOR);
  }

  @Test
  void aStreamingGraphHasNoSortsToWeigh() {
    Map<String, Integer> weights = sortWeights(graph(RuntimeExecutionMode.STREAMING));

    assertThat(weights.get(Topology.UID_CONTACTS)).isNull();
    assertThat(weights.get(Topology.UID_REJECTIONS)).isNull();
  }

  private static Map<String, Integer> sortWeights(StreamGraph graph) {
    Map<String, Integer> weights = new HashMap<>();
    for (StreamNode node : SortMemory.shareBetweenStages(graph).getStreamNodes()) {
      if (node.getTransformationUID() != null) {
        weights.put(
            node.getTransformationUID(),
            node.getManagedMemoryOperatorScopeUseCaseWeights().get(ManagedMemoryUseCase.OPERATOR));
      }
    }
    return weights;
  }

  private static StreamGraph graph(RuntimeExecutionMode mode) {
    Configuration config = new Configuration();
    config.set(ExecutionOptions.RUNTIME_MODE, mode);
    return TestGraphs.bounded(
        StreamExecutionEnvironment.getExecutionEnvironment(config),
        Settings.bounded(AS_OF).build());
  }
}
