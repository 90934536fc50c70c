package dev.dataevents.io;

import static dev.dataevents.io.OutputFolder.PREPARING;
import static dev.dataevents.io.OutputFolder.RUN_MARKER;

import dev.dataevents.io.OutputFolder.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging and set-aside folders that earlier runs to an output left beside it: one whose run
 * still lives refuses the output to another run, one whose run was killed is removed when it is
 * recognisably ours, and a set-aside earlier output is always kept.
 */
final class EarlierRuns {
  private static final Logger LOG = LoggerFactory.getLogger(EarlierRuns.class);

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private EarlierRuns() {}

  /**
   * Refuses an output that another living run is writing (its staging folder beside it names that
   * process): the second of two runs started on one output would otherwise do all its work and then
   * fail, when the first had put its output in place. (Two that start in the same instant both run;
   * the later to finish still fails, and nothing is lost.)
   */
  static void refuseIfAnotherRunWrites(Path target) {
    Pattern staging =
        Pattern.compile(
            "\\." + Pattern.quote(target.getFileName().toString()) + "\\.staging-[0-9a-f]{8}");
    if (!Files.isDirectory(target.getParent())) {
      return;
    }
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent())) {
      for (Path sibling : siblings) {
        Path marker = sibling.resolve(RUN_MARKER);
        if (staging.matcher(sibling.getFileName().toString()).matches()
            && Files.isDirectory(sibling, NOFOLLOW)
            && RunMarker.namesAnotherLiveProcess(marker)) {
          throw new RefusedPathException(
              target
                  + " is being written by another run now (process "
                  + RunMarker.pid(marker)
                  + "): wait for it to end, or write elsewhere");
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not look for other runs writing {}", target, e);
    }
  }

  /**
   * Removes the staging folders that killed runs left beside {@code target}: only those named as
   * {@link OutputFolder} names them, holding nothing but what a run writes, and whose complete
   * marker names a process that is gone. Anything else is left where it is: a staging folder
   * without a complete marker (nothing says a run of ours wrote it, or that its run is gone), and
   * every set-aside folder, which a run killed between its two renames leaves holding the only copy
   * of the previous output.
   */
  static List<Path> removeLeftovers(Path target, Layout layout) {
    String name = Pattern.quote(target.getFileName().toString());
    Pattern staging =
        Pattern.compile("\\." + name + "\\.staging-[0-9a-f]{8}(" + Pattern.quote(PREPARING) + ")?");
    Pattern setAside = Pattern.compile("\\." + name + "\\.old-[0-9a-f]{8}");
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(target.getParent())) {
      return removed;
    }
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent())) {
      for (Path sibling : siblings) {
        String sibName = sibling.getFileName().toString();
        if (setAside.matcher(sibName).matches() && Files.isDirectory(sibling, NOFOLLOW)) {
          LOG.warn(
              "Kept {}: an earlier output set aside by a run that did not finish, maybe the only"
                  + " copy of it; delete it when it is not needed",
              sibling);
          continue;
        }
        if (!staging.matcher(sibName).matches()
            || !Files.isDirectory(sibling, NOFOLLOW)
            || OutputShape.LEFTOVER.foreignEntry(sibling, layout).isPresent()) {
          continue;
        }
        Optional<Boolean> alive = RunMarker.alive(sibling.resolve(RUN_MARKER));
        if (!alive.equals(Optional.of(false))) {
          // Its run lives, or is writing its marker right now, or is committing (the marker goes
          // just before the renames), or nothing says a run of ours made it.
          LOG.info("Kept {}: its marker names no process that is gone", sibling);
          continue;
        }
        try {
          OutputFolder.deleteRecursively(sibling);
          removed.add(sibling);
          LOG.info("Removed {}, left by a run that did not finish", sibling);
        } catch (IOException | UncheckedIOException e) {
          LOG.warn("Could not remove {}, left by a run that did not finish", sibling, e);
        }
      }
    } catch (IOException | RefusedPathException e) {
      LOG.warn("Could not look for leftovers of earlier runs beside {}", target, e);
    }
    return removed;
  }
}
