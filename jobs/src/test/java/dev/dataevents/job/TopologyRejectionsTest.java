package dev.dataevents.job;

import static dev.dataevents.testing.Records.AS_OF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * Every keyed stage's rejections reach the rejection stage: a stage that rejects a record (for
 * instance {@code internal_error}) on a side output nobody reads would drop it silently and the
 * report would no longer add up.
 */
class TopologyRejectionsTest {
  @Test
  void everyStageThatRejectsFeedsTheRejectionStage() {
    StreamGraph graph =
        TestGraphs.bounded(
            StreamExecutionEnvironment.getExecutionEnvironment(),
            Settings.bounded(AS_OF).duplicates(true).directory(true).build());

    Map<String, Set<String>> rejectionsFrom = new TreeMap<>();
    for (StreamNode node : graph.getStreamNodes()) {
      for (StreamEdge edge : node.getOutEdges()) {
        String target = graph.getStreamNode(edge.getTargetId()).getOperatorName();
        if (edge.getOutputTag() != null && target.equals("count-rejections")) {
          rejectionsFrom
              .computeIfAbsent(node.getOperatorName(), n -> new TreeSet<>())
              .add(edge.getOutputTag().getId());
        }
      }
    }
    assertThat(rejectionsFrom.keySet())
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                "parse-and-validate",
                "directory-dedup",
                "directory-join",
                "contact-dedup-summary-listing"));
  }
}
