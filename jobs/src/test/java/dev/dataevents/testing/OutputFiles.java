package dev.dataevents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads a run's output folder the way users do: part files, skipping hidden names. */
public final class OutputFiles {
  private OutputFiles() {}

  /** All lines of the part files of {@code dir/folder}, in file then line order. */
  public static List<String> lines(Path dir, String folder) {
    List<String> lines = new ArrayList<>();
    files(dir.resolve(folder)).values().forEach(content -> lines.addAll(content.lines().toList()));
    return lines;
  }

  /** Every file below {@code dir} (relative path -> content). */
  public static Map<String, String> files(Path dir) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        files.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** The project's sample data folder (tests run in jobs/). */
  public static Path sampleData() {
    Path fromModule = Path.of("..", "sample-data");
    return Files.isDirectory(fromModule) ? fromModule : Path.of("sample-data");
  }
}
