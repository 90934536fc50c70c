package dev.dataevents.cli;

import dev.dataevents.validation.FieldRules;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parsers for option values, each with its bounds: a value out of them is a one-line error (picocli
 * names the option), so that no option reaches the job with a value whose arithmetic overflows or
 * that no run could use.
 */
final class Converters {
  /** The longest duration of any option: 100 years of 365 days, in reach of any timestamp. */
  static final Duration CENTURY = Duration.ofDays(36_500);

  /** The longest line: it is held in memory several times over (bytes, text, parsed tree). */
  static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

  /** The shortest line limit: an event with a few metadata keys must fit. */
  static final int MIN_LINE_BYTES = 1024;

  /** Flink's own lower bound on the checkpoint interval. */
  static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(10);

  /** The longest checkpoint and emit interval: output becomes visible at least once a day. */
  static final Duration MAX_INTERVAL = Duration.ofDays(1);

  static final int MAX_PER_PAGE = 1000;
  static final int MAX_METADATA_KEYS = 1000;
  static final int MAX_PARALLELISM = 1024;

  /** The earliest and latest reference time: the range of a valid {@code created_at}. */
  static final long MIN_UNIX_TIME = 1;

  static final long MAX_UNIX_TIME = FieldRules.MILLISECONDS_THRESHOLD - 1;

  private Converters() {}

  /**
   * A path, never empty: Java takes "" for the current folder, so {@code --input "$DIR"} with DIR
   * unset would read the whole working folder, and {@code --output ""} write into it.
   */
  static final ITypeConverter<Path> PATH =
      text -> {
        if (text.isEmpty()) {
          throw new TypeConversionException(
              "an empty path (an unset variable?); use . for this folder");
        }
        return Path.of(text);
      };

  /**
   * A point in time as Unix seconds: {@code 1793491200}, {@code 2026-11-01T00:00:00Z}, an offset
   * such as {@code 2026-11-01T01:00:00+01:00}, or a date ({@code 2026-11-01}, midnight UTC); in
   * every form between 1970-01-01T00:00:01Z and the last second before values look like
   * milliseconds.
   */
  static final class UnixTime implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parse(value);
    }

    static long parse(String value) {
      String v = value.strip();
      long seconds;
      if (v.matches("[-+]?\\d+")) {
        try {
          seconds = Long.parseLong(v);
        } catch (NumberFormatException e) {
          // Beyond 64 bits: positive, it is above the milliseconds threshold, as for created_at.
          seconds = v.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (seconds >= FieldRules.MILLISECONDS_THRESHOLD) {
          throw new TypeConversionException(
              "'" + value + "' looks like milliseconds; give Unix seconds");
        }
      } else {
        seconds = instant(value, v);
      }
      if (seconds < MIN_UNIX_TIME || seconds > MAX_UNIX_TIME) {
        throw outOfRange(value);
      }
      return seconds;
    }

    /**
     * A date and time with an offset in any of ISO 8601's forms: {@code +01:00}, {@code +0100},
     * {@code +01} or {@code Z} (Java's ISO formatter takes the first and the last only).
     */
    private static final DateTimeFormatter WITH_ANY_OFFSET =
        new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart()
            .appendOffset("+HH:MM:ss", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH", "Z")
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private static long instant(String value, String v) {
      try {
        return Instant.parse(v).getEpochSecond();
      } catch (DateTimeParseException e) {
        // try the other forms
      }
      try {
        return OffsetDateTime.parse(v, WITH_ANY_OFFSET).toEpochSecond();
      } catch (DateTimeParseException e) {
        // try the other forms
      }
      try {
        return LocalDate.parse(v).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeException e) {
        // try the other forms
      }
      try {
        java.time.LocalDateTime.parse(v);
        // A date and time without a zone: which zone was meant is the user's to say.
        throw new TypeConversionException(
            "'" + value + "' has no time zone: add one, such as " + v + "Z for UTC");
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is neither Unix seconds nor an ISO-8601 date or time: give 1793491200,"
                + " 2026-11-01, 2026-11-01T00:00:00Z or 2026-11-01T01:00:00+01:00");
      }
    }

    private static TypeConversionException outOfRange(String value) {
      return new TypeConversionException(
          "'"
              + value
              + "' is out of range: a time from "
              + Instant.ofEpochSecond(MIN_UNIX_TIME)
              + " ("
              + MIN_UNIX_TIME
              + ") to "
              + Instant.ofEpochSecond(MAX_UNIX_TIME)
              + " ("
              + MAX_UNIX_TIME
              + ")");
    }
  }

  /** A whole number within bounds. */
  abstract static class BoundedInt implements ITypeConverter<Integer> {
    private final int min;
    private final int max;

    BoundedInt(int min, int max) {
      this.min = min;
      this.max = max;
    }

    @Override
    public Integer convert(String value) {
      String v = value.strip();
      long n;
      try {
        n = v.matches("[-+]?\\d{1,18}") ? Long.parseLong(v) : Long.MIN_VALUE;
      } catch (NumberFormatException e) {
        n = Long.MIN_VALUE;
      }
      if (n < min || n > max) {
        throw new TypeConversionException(
            "'" + value + "' is not a whole number from " + min + " to " + max);
      }
      return (int) n;
    }
  }

  /** {@code --per-page}: a listing page of up to 1000 events. */
  static final class PerPage extends BoundedInt {
    PerPage() {
      super(1, MAX_PER_PAGE);
    }
  }

  /** {@code --max-metadata-keys}: none to 1000. */
  static final class MetadataKeys extends BoundedInt {
    MetadataKeys() {
      super(0, MAX_METADATA_KEYS);
    }
  }

  /** {@code --max-line-bytes}: 1 KiB to 64 MiB. */
  static final class LineBytes extends BoundedInt {
    LineBytes() {
      super(MIN_LINE_BYTES, MAX_LINE_BYTES);
    }
  }

  /** {@code --parallelism}: 1 to 1024 subtasks. */
  static final class Parallelism extends BoundedInt {
    Parallelism() {
      super(1, MAX_PARALLELISM);
    }
  }

  /** A duration within bounds, of Flink's syntax ({@code 500ms}, {@code 10s}, {@code 90d}). */
  abstract static class BoundedDuration implements ITypeConverter<Duration> {
    private final Duration min;
    private final Duration max;

    BoundedDuration(Duration min, Duration max) {
      this.min = min;
      this.max = max;
    }

    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        d = duration(value);
      } catch (TypeConversionException e) {
        throw new TypeConversionException(
            e.getMessage() + " (from " + show(min) + " to " + show(max) + ")");
      }
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new TypeConversionException(
            "'" + value + "' is out of range: " + show(min) + " to " + show(max));
      }
      return d;
    }
  }

  /** {@code --max-future}: 0 to 100 years, in whole seconds. */
  static final class MaxFuture implements ITypeConverter<Long> {
    private final BoundedDuration bounds = new BoundedDuration(Duration.ZERO, CENTURY) {};

    @Override
    public Long convert(String value) {
      return bounds.convert(value).toSeconds();
    }
  }

  /** {@code --dedup-horizon}: 1 second to 100 years. */
  static final class DedupHorizon extends BoundedDuration {
    DedupHorizon() {
      super(Duration.ofSeconds(1), CENTURY);
    }
  }

  /** {@code --checkpoint-interval}: 10 ms (Flink's minimum) to a day. */
  static final class CheckpointInterval extends BoundedDuration {
    CheckpointInterval() {
      super(MIN_CHECKPOINT_INTERVAL, MAX_INTERVAL);
    }
  }

  /** {@code --emit-interval}: 0 (a snapshot at every change) to a day. */
  static final class EmitInterval extends BoundedDuration {
    EmitInterval() {
      super(Duration.ZERO, MAX_INTERVAL);
    }
  }

  /**
   * A duration like {@code 500ms}, {@code 10s}, {@code 5min}, {@code 24h}, {@code 90d} (Flink's own
   * syntax); a bare number is seconds.
   */
  static Duration duration(String value) {
    String v = value.strip();
    try {
      Duration d =
          v.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v)) : TimeUtils.parseDuration(v);
      if (d.isNegative()) {
        throw new TypeConversionException("'" + value + "' is negative");
      }
      return d;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration like 30s, 5min, 24h or 90d");
    }
  }

  /** A duration as a person writes it, in its largest whole unit: {@code 36500d}, {@code 10ms}. */
  static String show(Duration d) {
    long millis = d.toMillis();
    if (millis == 0) {
      return "0s";
    }
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    String[] units = {"d", "h", "min", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis % sizes[i] == 0) {
        return String.format(Locale.ROOT, "%d%s", millis / sizes[i], units[i]);
      }
    }
    throw new AssertionError("unreachable");
  }
}
