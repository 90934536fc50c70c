package dev.dataevents.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The file a stream keeps at the top of its output and checkpoint folders, naming the process of
 * its latest run ({@link RunMarker}'s form): the folder is a stream's, a bounded run never replaces
 * it, and a second stream never writes into it while the first runs. A stream whose checkpoints lie
 * elsewhere leaves nothing else in its output that a bounded run's does not hold too (no record
 * yet: report.json and empty folders).
 */
public final class StreamMarker {
  /** The marker's file name: hidden from readers of the outputs, as {@code _} names are. */
  public static final String NAME = "_data-events-stream";

  private StreamMarker() {}

  /** Whether {@code folder}'s marker names a live process other than this one. */
  public static boolean namesAnotherLiveProcess(Path folder) {
    return RunMarker.namesAnotherLiveProcess(folder.resolve(NAME));
  }

  /**
   * Refuses a folder holding a file of someone else's under the marker's name (anything but a
   * marker, or what a kill left of one): a stream would replace it. Checked by the command before
   * it creates anything, and again before the marker is written.
   */
  public static void refuseForeign(Path folder) {
    Path marker = folder.resolve(NAME);
    if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS) && !RunMarker.isMarkerOrPart(marker)) {
      throw new RefusedPathException(
          folder
              + " holds "
              + NAME
              + ", which is not a marker of data-events: it is never replaced; give an empty or"
              + " new folder");
    }
  }

  /** Marks {@code folder} (which exists) as a stream's, naming this process. */
  public static void mark(Path folder) throws IOException {
    refuseForeign(folder);
    RunMarker.write(folder, NAME);
  }
}
