package dev.dataevents.io;

import dev.dataevents.json.Json;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * The latest snapshot per contact among a stream's summary or listing lines. A contact is known by
 * workspace and its contact key, which its identifiers give back: {@code user_id} when it has one,
 * else {@code intercom_user_id}, else the lower-cased email (the key order of the contract).
 * Snapshots compare by {@code updated_at} (ISO-8601 UTC with milliseconds, so text order is time
 * order); a listing snapshot is every page with that time.
 */
public final class LatestSnapshots {
  private LatestSnapshots() {}

  /**
   * The lines of the latest snapshots, sorted by contact, pages in page order. Reads the {@code
   * *.jsonl} part files under {@code folder}, past files and folders whose names start with {@code
   * .} or {@code _} (not yet committed, or a stream's checkpoints).
   *
   * @throws IllegalArgumentException for a line that is not a snapshot, naming its file and line
   */
  public static List<String> read(Path folder) throws IOException {
    Map<ContactId, String> latestTime = new TreeMap<>(ContactId.ORDER);
    Map<ContactId, List<String[]>> pages = new TreeMap<>(ContactId.ORDER);
    try (Stream<Path> files = Files.walk(folder)) {
      Iterable<Path> partFiles =
          files
                  .filter(Files::isRegularFile)
                  .filter(file -> isPartFile(folder.relativize(file)))
                  .sorted()
              ::iterator;
      for (Path file : partFiles) {
        int number = 0;
        for (String line : lines(file)) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = snapshot(file, number, line);
          ContactId contact = contactOf(node);
          String time = node.path("updated_at").asText("");
          int page = node.path("pages").path("page").asInt(1);
          int cmp = time.compareTo(latestTime.getOrDefault(contact, ""));
          if (cmp > 0 || !latestTime.containsKey(contact)) {
            latestTime.put(contact, time);
            pages.put(contact, new ArrayList<>());
          }
          if (cmp >= 0) {
            pages.get(contact).add(new String[] {String.format(Locale.ROOT, "%09d", page), line});
          }
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<String> out = new ArrayList<>();
    for (List<String[]> contactPages : pages.values()) {
      contactPages.sort(Comparator.comparing(p -> p[0]));
      String previousPage = null;
      for (String[] p : contactPages) {
        if (!p[0].equals(previousPage)) {
          out.add(p[1]);
        }
        previousPage = p[0];
      }
    }
    return out;
  }

  /** A part file's path inside the folder: {@code *.jsonl}, nothing on the way hidden. */
  private static boolean isPartFile(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.startsWith(".") || name.startsWith("_")) {
        return false;
      }
    }
    return relative.getFileName().toString().endsWith(".jsonl");
  }

  /**
   * A part file's lines; bytes that are not UTF-8 (which no snapshot holds) are an error naming the
   * file and line, as a line that is no snapshot is.
   */
  private static List<String> lines(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // reports what is not UTF-8
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int length = end - start;
      if (length > 0 && bytes[end - 1] == '\r') {
        length--;
      }
      try {
        lines.add(utf8.decode(ByteBuffer.wrap(bytes, start, length)).toString());
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (lines.size() + 1)
                + " is not UTF-8 text, as a stream's snapshots are",
            e);
      }
      start = end + 1;
    }
    return lines;
  }

  private static JsonNode snapshot(Path file, int number, String line) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + " line " + number + " is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!node.isObject() || !node.path("updated_at").isTextual()) {
      throw new IllegalArgumentException(
          file
              + " line "
              + number
              + " is not a summary or listing snapshot of a stream (no \"updated_at\")");
    }
    return node;
  }

  static ContactId contactOf(JsonNode snapshot) {
    return new ContactId(
        snapshot.path("workspace_id").asText(),
        ContactKey.of(
            shown(snapshot, "user_id"),
            shown(snapshot, "intercom_user_id"),
            snapshot.path("email").asText("")));
  }

  /** An identifier a snapshot shows, or null. */
  private static String shown(JsonNode snapshot, String field) {
    JsonNode value = snapshot.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
