package dev.dataevents.io;

import dev.dataevents.json.Json;
import dev.dataevents.model.ContactId;
import dev.dataevents.model.ContactKey;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /** The lines of the latest snapshots, sorted by contact, pages in page order. */
  public static List<String> read(Path folder) throws IOException {
    Map<ContactId, String> latestTime = new TreeMap<>(ContactId.ORDER);
    Map<ContactId, List<String[]>> pages = new TreeMap<>(ContactId.ORDER);
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = Json.mapper().readTree(line);
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
