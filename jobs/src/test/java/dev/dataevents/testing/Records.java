package dev.dataevents.testing;

import dev.dataevents.model.ContactRecord;
import dev.dataevents.model.InputFile;
import dev.dataevents.model.InputPosition;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Factory methods for records of tests: fixed times, positions named by file and line. */
public final class Records {
  /** 2026-11-01T00:00:00Z, the reference time of the sample data. */
  public static final long AS_OF = 1_793_491_200L;

  public static final long DAY = 86_400L;

  /** Two files: index 0 is "a.jsonl", index 1 is "b.jsonl". */
  public static final SourceCatalog CATALOG =
      new SourceCatalog(
          List.of(
              new InputFile("a.jsonl", "file:///tmp/a.jsonl", SourceKind.EVENTS, 0),
              new InputFile("b.jsonl", "file:///tmp/b.jsonl", SourceKind.EVENTS, 0)));

  private Records() {}

  /** An event of user {@code userId} in ws_1, read at line {@code line} of file {@code file}. */
  public static ContactRecord event(
      String userId, String name, long createdAt, int file, long line) {
    return event(userId, name, createdAt, file, line, null);
  }

  public static ContactRecord event(
      String userId, String name, long createdAt, int file, long line, String metadataJson) {
    return ContactRecord.event(
        "ws_1",
        "user_id:" + userId,
        InputPosition.of(file, line),
        "file-" + file + ".jsonl",
        name,
        createdAt,
        userId,
        null,
        null,
        metadataJson == null ? null : metadataJson.getBytes(StandardCharsets.UTF_8),
        0,
        0,
        "raw " + file + ":" + line);
  }

  /** An imported summary line for user {@code userId}, one event name. */
  public static ContactRecord imported(
      String userId, String name, long count, long first, long last, int file, long line) {
    return ContactRecord.summaryImport(
        "ws_1",
        "user_id:" + userId,
        InputPosition.of(file, line),
        "file-" + file + ".jsonl",
        userId,
        null,
        null,
        new String[] {name},
        new long[] {count},
        new long[] {first},
        new long[] {last},
        "raw " + file + ":" + line);
  }

  /**
   * An event whose strings take every path of the record's serializer: non-ASCII text, a surrogate
   * pair in its metadata, no source, and a raw line with an unpaired surrogate (which UTF-8 cannot
   * hold).
   */
  public static final ContactRecord WIDE_TEXT_EVENT =
      ContactRecord.event(
          "ws_1",
          "user_id:u\u00e9",
          7L << 40 | 3,
          null,
          "caf\u00e9",
          1389913941L,
          "u\u00e9",
          null,
          "A@b.c",
          "{\"k\":\"\u6771\u4eac \uD83D\uDE80\"}".getBytes(StandardCharsets.UTF_8),
          3,
          1,
          "{\"token\":\"x\uD83D\"}");

  /** An imported summary line of three names, one of them empty, one a surrogate pair. */
  public static final ContactRecord WIDE_TEXT_IMPORT =
      ContactRecord.summaryImport(
          "ws_1",
          "email:a@b",
          42L,
          "in/s.jsonl",
          null,
          null,
          "A@b",
          new String[] {"x", "\uD83D\uDE80", ""},
          new long[] {1, 2, 3},
          new long[] {3, 4, 5},
          new long[] {5, 6, 7},
          "{}");
}
