package dev.dataevents.cli;

import dev.dataevents.validation.FieldRules;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsers for option values that are times or durations. */
final class Converters {
  private Converters() {}

  /**
   * A point in time as Unix seconds: {@code 1793491200}, {@code 2026-11-01T00:00:00Z}, an offset
   * such as {@code 2026-11-01T01:00:00+01:00}, or a date ({@code 2026-11-01}, midnight UTC).
   */
  static final class UnixTime implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return parse(value);
    }

    static long parse(String value) {
      String v = value.strip();
      if (v.matches("-?\\d+")) {
        long seconds = Long.parseLong(v);
        if (seconds <= 0) {
          throw new TypeConversionException("'" + value + "' is not a positive Unix time");
        }
        if (seconds >= FieldRules.MILLISECONDS_THRESHOLD) {
          throw new TypeConversionException(
              "'" + value + "' looks like milliseconds; give Unix seconds");
        }
        return seconds;
      }
      try {
        return Instant.parse(v).getEpochSecond();
      } catch (DateTimeParseException e) {
        // try the other forms
      }
      try {
        return OffsetDateTime.parse(v).toEpochSecond();
      } catch (DateTimeParseException e) {
        // try the other forms
      }
      try {
        return LocalDate.parse(v).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is neither Unix seconds nor an ISO-8601 time like 2026-11-01T00:00:00Z");
      }
    }
  }

  /**
   * A duration like {@code 500ms}, {@code 10s}, {@code 5min}, {@code 24h}, {@code 90d} (Flink's own
   * syntax); a bare number is seconds.
   */
  static final class Seconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return duration(value).toSeconds();
    }
  }

  /** A duration of Flink's syntax ({@code 500ms}, {@code 10s}, {@code 5min}, {@code 90d}). */
  static final class Interval implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return duration(value);
    }
  }

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
}
