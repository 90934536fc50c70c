package dev.dataevents.testing;

import dev.dataevents.job.EmbeddedClusterNetwork;
import dev.dataevents.json.Json;
import dev.dataevents.reporting.CheckpointReport;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/** Reads a report.json that a command wrote, back into its counts. */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * The checkpoint reader of a one-off report (as {@code data-events report} uses it): a small
   * BATCH job on an embedded mini-cluster that listens on the loopback address only.
   */
  public static CheckpointReport.Reader checkpointReader() {
    return CheckpointReport.Reader.batchJob(
        EmbeddedClusterNetwork.loopbackOnly(new Configuration()));
  }

  /** The report in {@code output}, or empty when there is none yet. */
  public static Optional<RunReport> read(Path output) throws IOException {
    Path file = output.resolve("report.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode node = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    Map<String, Object> counts = new HashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isIntegralNumber()) {
                counts.put(e.getKey(), e.getValue().asLong());
              }
            });
    node.path("rejected_by_reason")
        .fields()
        .forEachRemaining(
            e -> counts.put(Counters.REJECTED_PREFIX + e.getKey(), e.getValue().asLong()));
    return Optional.of(
        new RunReport(
            counts,
            node.path("reference_time").asLong(),
            node.path("parallelism").asInt(),
            0,
            node.path("elapsed_ms").asLong()));
  }
}
