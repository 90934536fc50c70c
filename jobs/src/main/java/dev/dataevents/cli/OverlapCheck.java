package dev.dataevents.cli;

import dev.dataevents.io.InputFiles;
import dev.dataevents.io.PathOverlap;
import dev.dataevents.io.RefusedPathException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Refuses a command whose outputs overlap its inputs, before anything is created or deleted: an
 * output or checkpoint folder that is, contains or lies inside any path the command reads, or a log
 * file there. Judged on real paths (links resolved, also in paths that do not exist yet), so that
 * neither {@code --output .} nor a link hides the overlap.
 */
final class OverlapCheck {
  private enum Role {
    /** An input: nothing written may overlap it. */
    READ,
    /**
     * A savepoint or checkpoint to start from: read once at the start, and commonly kept in the
     * stream's own checkpoint folder, so a written folder may contain it, but nothing is written
     * into it.
     */
    RESTORE,
    /** An output or checkpoint folder. */
    WRITE_FOLDER,
    /** A log file: neither in an input nor inside a folder the command owns. */
    WRITE_FILE
  }

  private record Named(String option, Path path, Role role) {}

  private final List<Named> paths = new ArrayList<>();
  private final List<Path> real = new ArrayList<>();

  OverlapCheck reads(String option, Collection<Path> read) {
    read.forEach(p -> add(option, p, Role.READ));
    return this;
  }

  OverlapCheck reads(String option, Path read) {
    return add(option, read, Role.READ);
  }

  OverlapCheck restores(String option, Path restore) {
    return add(option, restore, Role.RESTORE);
  }

  OverlapCheck writes(String option, Path folder) {
    return add(option, folder, Role.WRITE_FOLDER);
  }

  OverlapCheck writesFile(String option, Path file) {
    return add(option, file, Role.WRITE_FILE);
  }

  private OverlapCheck add(String option, Path path, Role role) {
    if (path != null) {
      paths.add(new Named(option, path, role));
    }
    return this;
  }

  /** Throws a one-line usage error naming both options when two paths may not overlap. */
  OverlapCheck check() {
    real.clear();
    for (Named named : paths) {
      if (named.role() == Role.READ) {
        refuseSpecialFile(named);
      }
      try {
        real.add(PathOverlap.realPath(named.path()));
      } catch (IOException e) {
        throw new UsageException(
            named.option() + ": cannot resolve " + named.path() + ": " + e.getMessage());
      }
    }
    for (int w = 0; w < paths.size(); w++) {
      Named written = paths.get(w);
      if (written.role() != Role.WRITE_FOLDER && written.role() != Role.WRITE_FILE) {
        continue;
      }
      for (int r = 0; r < paths.size(); r++) {
        Named other = paths.get(r);
        PathOverlap overlap = PathOverlap.between(real.get(w), real.get(r));
        if (r != w && refused(written.role(), other.role(), overlap)) {
          throw new UsageException(message(written, other, overlap));
        }
      }
    }
    return this;
  }

  /** A pipe named as {@code /dev/stdin} has no real path: it gets the refusal of every pipe. */
  private static void refuseSpecialFile(Named named) {
    try {
      InputFiles.refuseSpecialFile(named.path());
    } catch (RefusedPathException e) {
      throw new UsageException(named.option() + ": " + e.getMessage());
    }
  }

  /** The real path {@link #check()} found for an option's first path. */
  Path realPath(String option) {
    for (int i = 0; i < real.size(); i++) {
      if (paths.get(i).option().equals(option)) {
        return real.get(i);
      }
    }
    throw new IllegalArgumentException("no path checked for " + option);
  }

  private static boolean refused(Role written, Role other, PathOverlap overlap) {
    if (overlap == PathOverlap.NONE) {
      return false;
    }
    return switch (other) {
      case READ -> true;
      case RESTORE -> overlap != PathOverlap.CONTAINS || written == Role.WRITE_FILE;
      // A log file may not be, or lie inside, a folder the command writes (a bounded run replaces
      // its output whole; a stream's output holds only its own files).
      case WRITE_FOLDER -> written == Role.WRITE_FILE && overlap != PathOverlap.CONTAINS;
      case WRITE_FILE -> false; // seen from the file's side
    };
  }

  private static String message(Named written, Named other, PathOverlap overlap) {
    String relation =
        switch (overlap) {
          case SAME -> " is ";
          case CONTAINS -> " contains ";
          case INSIDE -> " lies inside ";
          case NONE -> throw new IllegalArgumentException("no overlap");
        };
    String rule =
        other.role() == Role.WRITE_FOLDER
            ? "the command owns that folder"
            : "outputs, checkpoints and logs must lie outside every input";
    return written.option()
        + " "
        + written.path()
        + relation
        + other.option()
        + " "
        + other.path()
        + ": "
        + rule;
  }
}
