package dev.dataevents.job;

import dev.dataevents.io.OutputFolder;
import dev.dataevents.reporting.CheckpointedCounts;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.validation.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream's report.json: the counts as of its newest completed checkpoint, summed over the files
 * every counting subtask wrote for that checkpoint ({@link CheckpointedCounts}). An aligned
 * checkpoint is a consistent cut of the stream, so these counts match the committed outputs and
 * {@code input_records == accepted + duplicates + rejected} holds; they go on across restarts.
 */
public final class StreamReport {
  /** Where the per-checkpoint counts go, inside the checkpoint folder. */
  public static final String COUNTS = "_counts";

  private static final Logger LOG = LoggerFactory.getLogger(StreamReport.class);

  private StreamReport() {}

  public static Path countsDir(Path checkpointDir) {
    return checkpointDir.resolve(COUNTS);
  }

  /**
   * Writes {@code report.json} into the output folder from the newest completed checkpoint of the
   * stream command that owns the checkpoint folder; returns the report, or empty when there is no
   * completed checkpoint yet. Then removes what resuming no longer needs: the counts of older
   * checkpoints, and the job folders of earlier runs once this run has a restorable checkpoint.
   */
  public static Optional<RunReport> write(
      Path checkpointDir, Path output, int parallelism, long startedAt) throws IOException {
    CheckpointFolder folder = new CheckpointFolder(checkpointDir);
    folder.removeEarlierJobs(warning -> LOG.warn("{}", warning));
    Optional<Path> newest = folder.newestCompleted();
    if (newest.isEmpty()) {
      return Optional.empty();
    }
    Path checkpoint = newest.get();
    Path counts =
        countsDir(checkpointDir)
            .resolve(checkpoint.getParent().getFileName())
            .resolve(checkpoint.getFileName());
    if (!Files.isDirectory(counts)) {
      return Optional.empty();
    }
    Map<String, Object> totals = new HashMap<>();
    try (Stream<Path> files = Files.list(counts)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        if (file.getFileName().toString().startsWith(".")) {
          continue;
        }
        JsonNode node = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          totals.merge(e.getKey(), e.getValue().asLong(), (a, b) -> (Long) a + (Long) b);
        }
      }
    }
    long finished = Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
    RunReport report =
        new RunReport(
            totals, finished / 1000, parallelism, startedAt, Math.max(startedAt, finished));
    Path target = output.resolve(BoundedRun.REPORT);
    Path tmp = output.resolve("." + BoundedRun.REPORT + ".tmp");
    Files.writeString(tmp, report.toJson() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    prune(countsDir(checkpointDir), counts);
    return Optional.of(report);
  }

  /**
   * Drops the counts of checkpoints older than the one reported; counts of newer ones (a checkpoint
   * being taken, or a restarted job's first) are kept.
   */
  private static void prune(Path countsRoot, Path keep) throws IOException {
    long kept = Files.getLastModifiedTime(keep).toMillis();
    try (Stream<Path> jobs = Files.list(countsRoot)) {
      for (Path job : jobs.toList()) {
        try (Stream<Path> checkpoints = Files.list(job)) {
          for (Path c : checkpoints.toList()) {
            if (!c.equals(keep) && Files.getLastModifiedTime(c).toMillis() < kept) {
              OutputFolder.deleteRecursively(c);
            }
          }
        }
      }
    }
  }
}
