package dev.dataevents.io;

import dev.dataevents.model.InputFile;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds the files of a run: each given path is a file, or a folder read recursively for {@code
 * *.jsonl}, {@code *.json}, {@code *.ndjson} and those with {@code .gz}. Names starting with {@code
 * .} or {@code _} are skipped, as Flink and Hadoop tools skip them (hidden and in-progress files).
 * A file named directly is read whatever its name.
 */
public final class InputFiles {
  private static final List<String> EXTENSIONS = List.of(".jsonl", ".json", ".ndjson");

  private final List<InputFile> files = new ArrayList<>();
  private final Set<Path> seen = new HashSet<>();

  /** Each file by its real path: where it is in {@link #files}, its role, how it was reached. */
  private final Map<Path, Reached> reached = new HashMap<>();

  /**
   * @param direct named by its path, not found in a folder
   */
  private record Reached(int index, SourceKind kind, boolean direct) {}

  /** Adds the files under {@code path}. */
  public InputFiles add(Path path, SourceKind kind) {
    return add(path, kind, file -> true, null);
  }

  /**
   * Adds the files under {@code path} that {@code accept} takes, given their path relative to
   * {@code path} (so that nothing above it, where the user happens to keep it, decides); a file
   * named directly is always taken. {@code taken} says which files it takes, for the error when a
   * folder has none (e.g. {@code "inside an events/ folder"}), or is null.
   *
   * @throws RefusedPathException when the path is missing, unreadable, neither a regular file nor a
   *     folder (a named pipe), or a folder without input
   */
  public InputFiles add(Path path, SourceKind kind, Predicate<Path> accept, String taken) {
    if (!Files.exists(path)) {
      throw new RefusedPathException("no such file or folder: " + path);
    }
    if (!Files.isReadable(path)) {
      throw new RefusedPathException("cannot read " + path);
    }
    int before = files.size();
    if (Files.isDirectory(path)) {
      for (Path file : inputsUnder(path)) {
        if (accept.test(path.relativize(file))) {
          addFile(file, kind, false);
        }
      }
      if (files.size() == before && !alreadyHad(path)) {
        throw new RefusedPathException(
            "no *.jsonl, *.json or *.ndjson files (gzipped or not)"
                + (taken == null ? "" : " " + taken)
                + " under "
                + path);
      }
    } else {
      refuseSpecialFile(path);
      addFile(path, kind, true);
    }
    return this;
  }

  /**
   * Refuses a path that is there but neither a regular file nor a folder: a named pipe or a device
   * has no size to split by and cannot be read twice. Also one named through a link with no path
   * behind it ({@code /dev/stdin} or {@code /proc/self/fd/0} of a pipe, whose target reads {@code
   * pipe:[123]}), which must be refused before anything tries to resolve it.
   */
  public static void refuseSpecialFile(Path path) {
    if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
      throw new RefusedPathException(
          path + " is not a regular file or a folder (save a pipe's lines to a file first)");
    }
  }

  /**
   * The files under {@code folder} with input names, sorted by path. Links to folders are followed,
   * as Flink's file source follows them (and a watched folder); a link back to a folder being
   * walked is not, so a loop ends. A file reached under several names is added once, under the
   * first (see {@link #addFile}). A link to nothing with an input name is kept: reading it fails
   * the run, naming it, where skipping it would lose its lines without a word.
   */
  private static List<Path> inputsUnder(Path folder) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(
          folder,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              boolean hidden = !dir.equals(folder) && !isInputFolderName(dir);
              return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              // A link whose target cannot be read comes with the link's own attributes.
              if ((attributes.isRegularFile() || attributes.isSymbolicLink())
                  && isInputName(folder.relativize(file))) {
                found.add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof FileSystemLoopException) {
                return FileVisitResult.CONTINUE; // a folder that is being read already
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(Comparator.comparing(Path::toString));
    return found;
  }

  private static boolean isInputFolderName(Path dir) {
    String name = dir.getFileName().toString();
    return !name.startsWith(".") && !name.startsWith("_");
  }

  private boolean alreadyHad(Path folder) {
    Path absolute = folder.toAbsolutePath().normalize();
    return seen.stream().anyMatch(p -> p.startsWith(absolute));
  }

  /** Whether a file found in a folder is input, judged on its path relative to that folder. */
  public static boolean isInputName(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith(".") || name.startsWith("_")) {
        return false;
      }
    }
    String name = relative.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    for (String extension : EXTENSIONS) {
      if (name.endsWith(extension)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds a file once, whatever names it is reached under. A file has one role: one named directly
   * for a role that an earlier option found only in a folder (the exports folder holding the
   * summaries named by {@code --summaries}) takes the role it is named for; one named directly for
   * a role keeps it when a later option's folder also holds it; a file reached for two roles
   * otherwise is refused, rather than read in one and lost to the other without a word.
   */
  private void addFile(Path file, SourceKind kind, boolean direct) {
    Path absolute = file.toAbsolutePath().normalize();
    seen.add(absolute);
    Path realPath = realPathOf(absolute);
    Reached before = reached.get(realPath);
    if (before != null) {
      if (before.kind() == kind || (before.direct() && !direct)) {
        return; // read once, in the role it was named for
      }
      if (!direct || before.direct()) {
        throw new RefusedPathException(
            file.normalize()
                + " is read already as "
                + roleOf(before.kind())
                + "; a file is read in one role");
      }
      files.set(before.index(), inputFile(file, absolute, kind));
      reached.put(realPath, new Reached(before.index(), kind, true));
      return;
    }
    reached.put(realPath, new Reached(files.size(), kind, direct));
    files.add(inputFile(file, absolute, kind));
  }

  private static InputFile inputFile(Path file, Path absolute, SourceKind kind) {
    long size;
    try {
      size = Files.size(absolute);
    } catch (IOException e) {
      size = 0; // a link to nothing: reading it fails the run, naming it
    }
    return new InputFile(file.normalize().toString(), absolute.toUri().toString(), kind, size);
  }

  private static String roleOf(SourceKind kind) {
    return switch (kind) {
      case EVENTS -> "events";
      case SUMMARIES -> "imported summaries";
      case CONTACTS -> "the contacts directory";
    };
  }

  /**
   * The path with every link resolved, which names a file once whatever way it was reached; the
   * absolute path itself when it cannot be resolved (a link to nothing).
   */
  static Path realPathOf(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    try {
      return absolute.toRealPath();
    } catch (IOException e) {
      return absolute;
    }
  }

  /**
   * Adds an input that is not a file of a path (a Kafka partition), named and ordered in the
   * catalog like the files.
   */
  public InputFiles add(InputFile input) {
    files.add(input);
    return this;
  }

  /**
   * The first file added (as shown) whose real path lies inside {@code realFolder}: links inside
   * input folders are followed, so one may lead into a folder the command writes.
   */
  public Optional<String> firstInside(Path realFolder) {
    return reached.entrySet().stream()
        .filter(e -> e.getKey().startsWith(realFolder))
        .map(e -> files.get(e.getValue().index()).source())
        .sorted()
        .findFirst();
  }

  /** The catalog of all files added, sorted by source path (then by location, for equal names). */
  public SourceCatalog catalog() {
    List<InputFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(InputFile::source).thenComparing(InputFile::uri));
    return new SourceCatalog(sorted);
  }
}
