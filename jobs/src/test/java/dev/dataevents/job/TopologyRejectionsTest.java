package dev.dataevents.job;

import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.CATALOG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.contact.ContactFunction;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceKind;
import dev.dataevents.testing.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
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
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    var lines =
        env.fromData(
            TypeInformation.of(RawLine.class),
            new RawLine(0, "a.jsonl", SourceKind.EVENTS, 1, "{}", false, 3));
    PipelineSettings settings = Settings.bounded(AS_OF).duplicates(true).directory(true).build();
    Topology.define(
        lines,
        Topology.Mode.BOUNDED,
        settings,
        new ContactFunction(CATALOG, AS_OF, 50, true),
        new OutputSinks(
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>()));
    StreamGraph graph = env.getStreamGraph();

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
