package dev.dataevents.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The options every process-level stream test gives on top of its own: checkpoints and snapshots
 * every 500 ms (results show up within a second), parallelism 2, and the dates of {@link
 * EventGenerator} accepted.
 */
public final class StreamArgs {
  private static final List<String> QUICK =
      List.of(
          "--checkpoint-interval",
          "500ms",
          "--emit-interval",
          "500ms",
          "--parallelism",
          "2",
          // The generator's events reach 400 days back: a backfill takes them all, and so must
          // the stream's dedup.
          "--dedup-horizon",
          "3650d",
          // They end at Records.AS_OF: accepted whatever this machine's clock says.
          "--max-future",
          "3650d");

  private StreamArgs() {}

  /** {@code args} followed by the quick options. */
  public static String[] quick(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(QUICK);
    return all.toArray(String[]::new);
  }
}
