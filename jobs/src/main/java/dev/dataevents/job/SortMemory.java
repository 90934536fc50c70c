package dev.dataevents.job;

import java.util.Map;
import org.apache.flink.core.memory.ManagedMemoryUseCase;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * How the keyed stages of a BATCH job share a slot's managed memory for sorting their input.
 *
 * <p>Flink gives every keyed operator's sorted input the same weight ({@code
 * execution.sorted-inputs.memory}), so the rejection stage, which sorts the few records that were
 * rejected, got as much memory as the contact stage, which sorts all the others. A sort touches
 * only as much of its memory as its input fills: on 10M events the rejection sorts' share was what
 * made the run's peak memory grow with the input. It now gets an eighth of a keyed stage's weight
 * (a run of bad lines only spills more of them to disk).
 */
final class SortMemory {
  /** The rejection stage's weight is the other keyed stages' divided by this. */
  static final int REJECTIONS_DIVISOR = 8;

  private SortMemory() {}

  /**
   * Lowers the rejection stage's weight in a generated graph; a graph without sorted inputs (a
   * stream) is left as it is. Flink sets the weights while it generates the graph, over any a
   * transformation declared, so this can only be done to the graph itself.
   */
  static StreamGraph shareBetweenStages(StreamGraph graph) {
    for (StreamNode node : graph.getStreamNodes()) {
      if (!Topology.UID_REJECTIONS.equals(node.getTransformationUID())) {
        continue;
      }
      Integer weight =
          node.getManagedMemoryOperatorScopeUseCaseWeights().get(ManagedMemoryUseCase.OPERATOR);
      if (weight != null) {
        node.setManagedMemoryUseCaseWeights(
            Map.of(ManagedMemoryUseCase.OPERATOR, Math.max(1, weight / REJECTIONS_DIVISOR)),
            node.getManagedMemorySlotScopeUseCases());
      }
    }
    return graph;
  }
}
