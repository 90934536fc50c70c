package dev.dataevents.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The floor the job is compared against: the least work that still answers the summary question, in
 * one thread with no framework. Reads a JSON Lines file line by line with Jackson's streaming
 * parser, drops duplicates by (workspace, contact key, lower-cased event name, created_at) in a
 * {@link HashSet}, and keeps count, first and last per (workspace, contact, event name) in a {@link
 * HashMap}. No validation beyond what it needs, no metadata, no listings, no output files: a line
 * it cannot use is counted as skipped. Prints one line of counts.
 *
 * <p>Usage: {@code PlainBaseline FILE}.
 */
public final class PlainBaseline {
  private static final char SEPARATOR = '\0';

  private PlainBaseline() {}

  /**
   * What the baseline found.
   *
   * @param lines physical lines
   * @param records lines that are not blank
   * @param kept first copies of an identity
   * @param duplicates later copies
   * @param skipped records without a JSON object, event name, identifier or integer created_at
   * @param summaries {@code workspace \0 contact key \0 name -> [count, first, last]}
   */
  public record Counts(
      long lines,
      long records,
      long kept,
      long duplicates,
      long skipped,
      Map<String, long[]> summaries) {

    public long[] summary(String workspaceId, String contactKey, String eventName) {
      return summaries.get(workspaceId + SEPARATOR + contactKey + SEPARATOR + eventName);
    }

    @Override
    public String toString() {
      return String.format(
          "lines=%d records=%d kept=%d duplicates=%d skipped=%d summaries=%d",
          lines, records, kept, duplicates, skipped, summaries.size());
    }
  }

  public static Counts run(Path file) throws IOException {
    JsonFactory json = new JsonFactory();
    Set<String> seen = new HashSet<>();
    Map<String, long[]> summaries = new HashMap<>();
    long lines = 0;
    long records = 0;
    long duplicates = 0;
    long skipped = 0;
    try (BufferedReader in =
        new BufferedReader(
            new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8),
            1 << 20)) {
      String line;
      while ((line = in.readLine()) != null) {
        lines++;
        if (line.isBlank()) {
          continue;
        }
        records++;
        String group = group(json, line);
        if (group == null) {
          skipped++;
          continue;
        }
        int timeStart = group.lastIndexOf(SEPARATOR);
        long createdAt = Long.parseLong(group, timeStart + 1, group.length(), 10);
        if (!seen.add(group)) {
          duplicates++;
          continue;
        }
        long[] s =
            summaries.computeIfAbsent(
                group.substring(0, timeStart), g -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        s[0]++;
        s[1] = Math.min(s[1], createdAt);
        s[2] = Math.max(s[2], createdAt);
      }
    }
    return new Counts(lines, records, seen.size(), duplicates, skipped, summaries);
  }

  /**
   * The identity {@code workspace \0 contact key \0 name \0 created_at} of a line, or null when the
   * line lacks one.
   */
  private static String group(JsonFactory json, String line) {
    String workspace = "default";
    String userId = null;
    String id = null;
    String email = null;
    String name = null;
    long createdAt = -1;
    try (JsonParser p = json.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "workspace_id" -> workspace = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "event_name" ->
              name = value == JsonToken.VALUE_STRING ? p.getText().toLowerCase(Locale.ROOT) : null;
          case "created_at" ->
              createdAt = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case "user_id" ->
              userId =
                  value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
                      ? p.getText()
                      : null;
          case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "email" -> email = value == JsonToken.VALUE_STRING ? p.getText() : null;
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      return null;
    }
    String contact =
        userId != null
            ? "user_id:" + userId
            : id != null
                ? "id:" + id
                : email != null ? "email:" + email.toLowerCase(Locale.ROOT) : null;
    if (workspace == null || name == null || contact == null || createdAt <= 0) {
      return null;
    }
    return workspace + SEPARATOR + contact + SEPARATOR + name + SEPARATOR + createdAt;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: PlainBaseline FILE");
      System.exit(2);
    }
    long start = System.nanoTime();
    Counts counts = run(Path.of(args[0]));
    System.out.printf("%s elapsed_s=%.3f%n", counts, (System.nanoTime() - start) / 1e9);
  }
}
