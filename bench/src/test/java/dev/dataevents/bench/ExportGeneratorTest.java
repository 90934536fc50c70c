package dev.dataevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.bench.jmh.HotPaths;
import dev.dataevents.bench.jmh.HotPaths.Accepted;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated export has the shape the benchmarks promise, judged by the job's own validation:
 * what it calls bad, duplicate, old or dropped is what the job will find.
 */
class ExportGeneratorTest {
  private static final int LINES = 20_000;
  private static final long AS_OF = ExportGenerator.DEFAULT_AS_OF;

  private static final List<String> lines = new ArrayList<>();
  private static final List<Accepted> accepted = new ArrayList<>();
  private static final Map<String, Integer> rejectedByReason = new HashMap<>();
  private static long duplicates;
  private static ExportGenerator generator;

  @BeforeAll
  static void generate() {
    generator = new ExportGenerator(7, AS_OF, ExportGenerator.DEFAULT_CONTACTS);
    Set<String> identities = new HashSet<>();
    for (int i = 1; i <= LINES; i++) {
      String line = generator.next();
      lines.add(line);
      Object parsed = HotPaths.parse(line, i);
      String reason = HotPaths.rejectionReason(parsed);
      if (reason != null) {
        rejectedByReason.merge(reason, 1, Integer::sum);
      } else {
        Accepted event = HotPaths.accepted(parsed);
        // The contract's identity: workspace, contact key, normalised name, created_at.
        String identity =
            String.join(
                "\0",
                event.workspaceId(),
                event.contactKey(),
                event.eventName(),
                Long.toString(event.createdAt()));
        if (identities.add(identity)) {
          accepted.add(event);
        } else {
          duplicates++;
        }
      }
    }
  }

  @Test
  void sameSeedWritesTheSameBytesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    Path c = dir.resolve("c.jsonl");
    ExportGenerator.Counts counts = ExportGenerator.write(a, 5_000, 11, AS_OF);
    ExportGenerator.write(b, 5_000, 11, AS_OF);
    ExportGenerator.write(c, 5_000, 12, AS_OF);

    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(c));
    assertThat(Files.readAllLines(a)).hasSize(5_000);
    assertThat(counts.lines()).isEqualTo(5_000);
    assertThat(counts.bytes()).isEqualTo(Files.size(a));
  }

  @Test
  void everyLineIsOnePhysicalLine() {
    assertThat(lines).noneMatch(l -> l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0);
  }

  @Test
  void aboutTwoPercentBadLinesOfManyKindsAllOfWhichTheJobRejects() {
    long rejected = rejectedByReason.values().stream().mapToLong(Integer::longValue).sum();
    assertThat(rejected).isEqualTo(generator.bad());
    assertThat(rejected / (double) LINES).isBetween(0.015, 0.025);
    assertThat(rejectedByReason.keySet())
        .contains(
            "invalid_json",
            "not_an_object",
            "invalid_workspace_id",
            "missing_event_name",
            "invalid_event_name",
            "missing_created_at",
            "invalid_created_at",
            "created_at_in_milliseconds",
            "created_at_in_future",
            "missing_identifier",
            "invalid_identifier",
            "invalid_metadata",
            "invalid_metadata_key",
            "invalid_metadata_value");
  }

  @Test
  void aboutFivePercentDuplicatesExactOrWithOtherMetadata() {
    assertThat(duplicates / (double) LINES).isBetween(0.04, 0.06);
    // Accidental repeats of an identity are rare next to the deliberate ones.
    assertThat(duplicates).isBetween(generator.duplicates(), generator.duplicates() + 20);
    Set<String> seen = new HashSet<>();
    long exact = lines.stream().filter(l -> !seen.add(l)).count();
    assertThat(exact).isBetween(duplicates / 2, duplicates - duplicates / 10);
  }

  @Test
  void skewedContactsAFewWithManyEventsMostWithAFew() {
    Map<String, Integer> byContact = new HashMap<>();
    accepted.forEach(r -> byContact.merge(r.workspaceId() + "/" + r.contactKey(), 1, Integer::sum));
    List<Integer> sizes = byContact.values().stream().sorted().toList();
    assertThat(sizes.get(sizes.size() - 1)).isGreaterThan(LINES / 100);
    assertThat(sizes.get(sizes.size() / 2)).isLessThanOrEqualTo(3);
  }

  @Test
  void skewedEventNames() {
    Map<String, Integer> byName = new HashMap<>();
    accepted.forEach(r -> byName.merge(r.eventName(), 1, Integer::sum));
    List<Integer> counts = byName.values().stream().sorted().toList();
    assertThat(counts.size()).isGreaterThanOrEqualTo(20);
    assertThat(counts.get(counts.size() - 1)).isGreaterThan(3 * counts.get(counts.size() / 2));
  }

  @Test
  void identifiersAndWorkspacesMixed() {
    assertThat(share(r -> r.contactKey().startsWith("user_id:"))).isGreaterThan(0.4);
    assertThat(share(r -> r.contactKey().startsWith("id:"))).isGreaterThan(0.1);
    assertThat(share(r -> r.contactKey().startsWith("email:"))).isGreaterThan(0.05);
    assertThat(share(r -> r.workspaceId().equals("default"))).isGreaterThan(0.0);
    assertThat(lines).anyMatch(l -> l.matches(".*\"user_id\":[0-9].*"));
  }

  @Test
  void createdAtSpreadOverFourHundredDaysMostOutsideTheListingWindow() {
    long day = 86_400;
    assertThat(accepted).allMatch(r -> r.createdAt() <= AS_OF && r.createdAt() > AS_OF - 400 * day);
    assertThat(share(r -> AS_OF - r.createdAt() >= 90 * day)).isBetween(0.7, 0.85);
  }

  @Test
  void metadataOfEveryTypeSomeWithMoreThanTenKeys() {
    assertThat(share(r -> r.metadataKeysDropped() > 0)).isBetween(0.05, 0.2);
    assertThat(share(r -> r.metadata() == null)).isBetween(0.05, 0.3);
    String all =
        String.join(
            "\n", accepted.stream().map(Accepted::metadata).filter(m -> m != null).toList());
    assertThat(all)
        .contains("_date\":1") // Date
        .containsPattern("\"[a-z_0-9]+\":-?[0-9]+\\.[0-9]+") // Number, a float
        .containsPattern("\"[a-z_0-9]+\":\"https?://") // Link
        .contains("{\"url\":\"https://") // Rich Link
        .contains("\"currency\":") // Monetary Amount
        .contains("\\\"", "\\\\", "\\t", "東京", "é", "\uD83D\uDE80"); // escapes, non-ASCII
    assertThat(share(r -> r.metadataValuesTruncated() > 0)).isGreaterThan(0.0);
  }

  @Test
  void aboutThreeHundredBytesALine() {
    long bytes = lines.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    assertThat(bytes / (double) LINES).isBetween(270.0, 330.0);
  }

  @Test
  void theFloorIsTheSameContactsAndNamesAsValidEventsWithNothingElseToDo(@TempDir Path dir)
      throws Exception {
    Path floor = dir.resolve("floor.jsonl");
    ExportGenerator.Counts counts =
        ExportGenerator.write(
            floor, LINES, 7, AS_OF, ExportGenerator.DEFAULT_CONTACTS, ExportGenerator.Shape.FLOOR);

    List<String> floorLines = Files.readAllLines(floor, StandardCharsets.UTF_8);
    assertThat(counts.bad()).isZero();
    assertThat(counts.duplicates()).isZero();
    assertThat(counts.bytes()).isEqualTo((ExportGenerator.FLOOR_LINE_CHARS + 1L) * LINES);
    List<Accepted> events = new ArrayList<>();
    Set<String> identities = new HashSet<>();
    for (int i = 0; i < floorLines.size(); i++) {
      String line = floorLines.get(i);
      assertThat(line).hasSize(ExportGenerator.FLOOR_LINE_CHARS).doesNotContain("metadata");
      Object parsed = HotPaths.parse(line, i + 1);
      assertThat(HotPaths.rejectionReason(parsed)).as(line).isNull();
      Accepted event = HotPaths.accepted(parsed);
      identities.add(
          String.join(
              "\0",
              event.workspaceId(),
              event.contactKey(),
              event.eventName(),
              Long.toString(event.createdAt())));
      events.add(event);
    }
    // As many contacts and names as in the export's accepted events, within sampling noise.
    assertThat(identities.size()).isGreaterThan(LINES - 20);
    assertThat(distinct(events, r -> r.workspaceId() + "/" + r.contactKey()))
        .isCloseTo(
            distinct(accepted, r -> r.workspaceId() + "/" + r.contactKey()),
            Percentage.withPercentage(10));
    assertThat(distinct(events, Accepted::eventName))
        .isEqualTo(distinct(accepted, Accepted::eventName));
  }

  private static long distinct(List<Accepted> events, Function<Accepted, String> key) {
    return events.stream().map(key).distinct().count();
  }

  private static double share(java.util.function.Predicate<Accepted> p) {
    return accepted.stream().filter(p).count() / (double) accepted.size();
  }
}
