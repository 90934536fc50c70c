package dev.dataevents.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Damages a line at random places, so that a test of two ways of reading lines also meets syntax
 * errors in every part of a line: strings, numbers, skipped values, nesting.
 */
public final class LineMutations {
  private LineMutations() {}

  /**
   * Generated event lines (written to {@code file}), then {@code extra}, then for each of them
   * {@code copies} damaged copies ({@link #mutate}) and the line cut at a random place.
   */
  public static List<String> generatedAndDamaged(
      Path file, long seed, List<String> extra, Random rnd, String noise, int maxEdits, int copies)
      throws IOException {
    EventGenerator.write(file, 3000, seed);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.addAll(extra);
    int n = lines.size();
    for (int i = 0; i < n; i++) {
      String line = lines.get(i);
      for (int c = 0; c < copies; c++) {
        lines.add(mutate(line, rnd, noise, maxEdits));
      }
      lines.add(line.substring(0, rnd.nextInt(line.length() + 1)));
    }
    return lines;
  }

  /**
   * The line with 1 to {@code maxEdits} edits: a character of {@code noise} inserted, a character
   * deleted, or one replaced by a character of {@code noise}.
   */
  public static String mutate(String line, Random rnd, String noise, int maxEdits) {
    StringBuilder out = new StringBuilder(line);
    int edits = 1 + rnd.nextInt(maxEdits);
    for (int e = 0; e < edits; e++) {
      int at = rnd.nextInt(out.length() + 1);
      switch (rnd.nextInt(3)) {
        case 0 -> out.insert(at, noise.charAt(rnd.nextInt(noise.length())));
        case 1 -> {
          if (at < out.length()) {
            out.deleteCharAt(at);
          }
        }
        default -> {
          if (at < out.length()) {
            out.setCharAt(at, noise.charAt(rnd.nextInt(noise.length())));
          }
        }
      }
    }
    return out.toString();
  }
}
