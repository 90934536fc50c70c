package dev.dataevents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything under a folder, hidden names included, links not followed: relative path -> content
 * (files), {@code "<dir>"} (folders) or {@code "-> target"} (links). Two equal snapshots mean
 * nothing was created, deleted or changed.
 */
public final class FolderSnapshot {
  private FolderSnapshot() {}

  public static Map<String, String> of(Path root) {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String key = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          entries.put(key, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          entries.put(key, "<dir>");
        } else {
          entries.put(key, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }
}
