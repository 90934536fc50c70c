package dev.dataevents.cli;

import dev.dataevents.io.LatestSnapshots;
import dev.dataevents.io.StreamMarker;
import dev.dataevents.job.BoundedRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code latest}: the current view of a stream's snapshots, one contact's latest at a time. */
@Command(
    name = "latest",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Prints each contact's latest snapshot from a stream's output.",
      "",
      "Reads every *.jsonl part file of a stream's summaries/ or listings/ folder, skipping names"
          + " starting with . or _ (not yet committed), and prints the latest snapshot of each"
          + " contact (for listings: all pages of it), sorted by workspace and contact.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a part file could not be read",
      "2:wrong options or inputs (no such folder, not a stream's snapshots, a line that is not"
          + " UTF-8 JSON)"
    })
public final class LatestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "A summaries/ or listings/ folder of a stream.")
  Path folder;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(folder)) {
      throw new UsageException(
          Files.exists(folder)
              ? folder + " is not a folder (give a summaries/ or listings/ folder of a stream)"
              : "no such folder: " + folder);
    }
    if (Files.isDirectory(folder.resolve(BoundedRun.SUMMARIES))
        || Files.isDirectory(folder.resolve(BoundedRun.LISTINGS))) {
      // The folder given to --output: the natural first try, whose events/ hold no snapshots.
      throw new UsageException(
          Files.exists(folder.resolve(StreamMarker.NAME))
              ? folder
                  + " is a stream's output folder: give its summaries/ or listings/ folder ("
                  + folder.resolve(BoundedRun.SUMMARIES)
                  + ")"
              : folder
                  + " is not a stream's output: latest reads a stream's snapshots (a backfill's"
                  + " or recompute's summaries/ and listings/ hold one final record per contact"
                  + " already)");
    }
    PrintWriter out = spec.commandLine().getOut();
    java.util.List<String> latest;
    try {
      latest = LatestSnapshots.read(folder);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage()); // not a stream's summaries/ or listings/
    }
    latest.forEach(out::println);
    out.flush();
    return 0;
  }
}
