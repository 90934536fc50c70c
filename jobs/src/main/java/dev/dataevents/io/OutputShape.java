package dev.dataevents.io;

import dev.dataevents.io.OutputFolder.Layout;
import dev.dataevents.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;

/**
 * What a folder is checked as, and how an output of this project is recognised in it: by its
 * report, its known subfolders ({@link Layout}) and the part files in them, and (for a stream's) by
 * its marker or Flink's part file names. Whatever is not recognisably ours is the user's.
 */
enum OutputShape {
  /** An earlier output to replace: its report and known subfolders, nothing else. */
  EARLIER_OUTPUT,
  /**
   * A stream's output, kept across runs: no report yet before the first checkpoint, and hidden or
   * {@code _} entries at its top are the stream's own (the default checkpoint folder, a report
   * being replaced).
   */
  STREAM_OUTPUT,
  /** A staging or set-aside folder left by a killed run: no report yet, maybe a run marker. */
  LEFTOVER;

  /**
   * The part files of a bounded run ({@link PartFileSink}: by subtask, at most 1024). A stream's
   * are Flink's file sink's: {@code part-<uuid>-<n>.jsonl} and, while written, {@code
   * .part-<uuid>-<n>.jsonl.inprogress.<uuid>}.
   */
  private static final Pattern BOUNDED_PART = Pattern.compile("part-[0-9]{5}\\.jsonl");

  private static final Pattern STREAM_PART =
      Pattern.compile("\\.?part-.+-[0-9]+\\.jsonl(\\.inprogress\\..+)?");

  /** A report.json larger than this is no report of ours (they are a few hundred bytes). */
  private static final long MAX_REPORT_BYTES = 1 << 20;

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /**
   * The first thing in {@code folder} that makes it other than an output of this project of this
   * shape, described for a person; empty when there is none.
   */
  Optional<String> foreignEntry(Path folder, Layout layout) {
    boolean sawReport = false;
    for (Path entry : sortedEntries(folder)) {
      String name = entry.getFileName().toString();
      if (name.equals(layout.report())) {
        if (!isReport(entry, layout)) {
          return Optional.of(name + " is not a data-events report");
        }
        sawReport = true;
      } else if (layout.folders().contains(name)) {
        if (!Files.isDirectory(entry, NOFOLLOW)) {
          return Optional.of(name + " is not a folder");
        }
        Optional<String> foreign = foreignPartFile(entry);
        if (foreign.isPresent()) {
          return Optional.of(name + "/" + foreign.get() + " is not a part file");
        }
      } else if (this == STREAM_OUTPUT && isHidden(name)) {
        continue;
      } else if (this == LEFTOVER
          && name.equals(OutputFolder.RUN_MARKER)
          && Files.isRegularFile(entry, NOFOLLOW)) {
        continue;
      } else {
        return Optional.of("it holds " + name);
      }
    }
    if (this == EARLIER_OUTPUT && !sawReport) {
      return Optional.of("it has no " + layout.report());
    }
    return Optional.empty();
  }

  /**
   * The first entry of a known subfolder that is not a part file of this shape's run: a bounded
   * run's {@code part-NNNNN.jsonl}; for a stream's output also Flink's file sink's, finished or
   * being written (a stream's {@code .part-<id>-<n>.jsonl.inprogress.<id>}). Any other name, hidden
   * or not, is the user's, and a folder holding it is never replaced.
   */
  private Optional<String> foreignPartFile(Path folder) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        boolean partName =
            this == STREAM_OUTPUT
                ? name.startsWith(".part-") || (name.startsWith("part-") && name.endsWith(".jsonl"))
                : BOUNDED_PART.matcher(name).matches();
        if (!partName || !Files.isRegularFile(entry, NOFOLLOW)) {
          return Optional.of(name);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("(unreadable: " + e.getMessage() + ")");
    }
  }

  /**
   * What shows that a stream wrote {@code folder}, described for a person: its marker, or a part
   * file named as Flink's file sink names them; empty when there is none.
   */
  static Optional<String> streamEvidence(Path folder, Layout layout) {
    Path marker = folder.resolve(StreamMarker.NAME);
    if (Files.exists(marker, NOFOLLOW)) {
      return Optional.of(
          RunMarker.isAlive(marker)
              ? "a stream is writing into it: " + StreamMarker.NAME + " names a running process"
              : "it holds " + StreamMarker.NAME);
    }
    for (String sub : layout.folders().stream().sorted().toList()) {
      Path dir = folder.resolve(sub);
      if (!Files.isDirectory(dir, NOFOLLOW)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(dir)) {
        Optional<String> part =
            entries
                .filter(p -> Files.isRegularFile(p, NOFOLLOW))
                .map(p -> p.getFileName().toString())
                .filter(n -> STREAM_PART.matcher(n).matches())
                .sorted()
                .findFirst();
        if (part.isPresent()) {
          return Optional.of(sub + "/" + part.get() + " is a stream's part file");
        }
      } catch (IOException e) {
        throw new RefusedPathException("cannot read " + dir + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Names readers skip: in-progress and hidden files of Flink's file sinks. */
  private static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  private static List<Path> sortedEntries(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new RefusedPathException("cannot read " + folder + ": " + e.getMessage());
    }
  }

  /**
   * Whether a file is this project's report: a JSON object whose counts are integers. Read as a
   * token stream, so that whatever the file holds costs no more than reading it.
   */
  private static boolean isReport(Path file, Layout layout) {
    try {
      if (!Files.isRegularFile(file, NOFOLLOW) || Files.size(file) > MAX_REPORT_BYTES) {
        return false;
      }
      Set<String> missing = new HashSet<>(layout.reportCounts());
      try (InputStream in = Files.newInputStream(file);
          JsonParser parser = Json.mapper().getFactory().createParser(in)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return false;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (missing.remove(field) && value != JsonToken.VALUE_NUMBER_INT) {
            return false;
          }
          parser.skipChildren();
        }
        return parser.currentToken() == JsonToken.END_OBJECT
            && parser.nextToken() == null
            && missing.isEmpty();
      }
    } catch (IOException e) {
      return false; // not JSON, or unreadable: not recognisably ours
    }
  }
}
