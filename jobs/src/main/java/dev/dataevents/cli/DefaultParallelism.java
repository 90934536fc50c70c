package dev.dataevents.cli;

import dev.dataevents.io.Decompression;
import dev.dataevents.model.InputFile;
import dev.dataevents.model.SourceCatalog;

/**
 * The parallelism of a run that names none.
 *
 * <p>A stream, and a run on a cluster ({@code --jobmanager}, or under {@code flink run}), use the
 * machine's cores. A backfill or recompute on the embedded mini-cluster over a small input uses one
 * core less: such a run is short enough that compiling its code (the JIT's C1 and C2 threads), the
 * keyed sort and reading the files keep about a core busy beside the tasks. Measured on 2 cores
 * (docs/performance.md, step 23): one subtask instead of two took 0.86x the CPU and 0.95x the wall
 * time at 1M events (292 MiB), 0.88x and 1.01x at 2M (584 MiB), 0.93x and 1.06x at 3M: above about
 * 600 MiB the second subtask wins the wall time back, so the limit is {@link #SMALL_INPUT_BYTES}. A
 * compressed file's size says little about its lines, and Kafka's records have no size before they
 * are read: either makes the input count as large.
 */
final class DefaultParallelism {
  /** Inputs (every file of the run, summaries and directory included) below this are small. */
  static final long SMALL_INPUT_BYTES = 512L << 20;

  private DefaultParallelism() {}

  /** The machine's cores, within the parallelism the command line accepts. */
  static int cores(int availableProcessors) {
    return Math.max(1, Math.min(Converters.MAX_PARALLELISM, availableProcessors));
  }

  /**
   * The default parallelism of a bounded run.
   *
   * @param availableProcessors the machine's cores
   * @param target where the run goes
   * @param catalog the run's files
   * @param kafka whether it also reads Kafka
   */
  static int bounded(
      int availableProcessors, RunTarget target, SourceCatalog catalog, boolean kafka) {
    int cores = target.withinLimit(cores(availableProcessors));
    boolean small =
        target.embedded()
            && !kafka
            && catalog.totalBytes() < SMALL_INPUT_BYTES
            && catalog.files().stream().map(InputFile::uri).noneMatch(Decompression::isCompressed);
    return small ? Math.max(1, cores - 1) : cores;
  }
}
