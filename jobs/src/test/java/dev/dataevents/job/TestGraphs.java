package dev.dataevents.job;

import static dev.dataevents.testing.Records.AS_OF;
import static dev.dataevents.testing.Records.CATALOG;

import dev.dataevents.contact.ContactFunction;
import dev.dataevents.model.RawLine;
import dev.dataevents.model.SourceKind;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;

/** The bounded topology as a graph, for tests that look at its shape rather than run it. */
final class TestGraphs {
  private TestGraphs() {}

  /** The bounded topology over one line, every output discarded, as {@code env} generates it. */
  static StreamGraph bounded(StreamExecutionEnvironment env, PipelineSettings settings) {
    var lines =
        env.fromData(
            TypeInformation.of(RawLine.class),
            new RawLine(0, "a.jsonl", SourceKind.EVENTS, 1, "{}", false, 3));
    Topology.bounded(
        lines,
        settings,
        new ContactFunction(CATALOG, AS_OF, 50, true),
        new OutputSinks(
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            new DiscardingSink<>(),
            settings.writeDuplicates() ? new DiscardingSink<>() : null));
    return env.getStreamGraph();
  }
}
