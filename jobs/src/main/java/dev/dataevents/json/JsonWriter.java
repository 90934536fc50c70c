package dev.dataevents.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Renders one JSON value as a compact line, its keys in the order they are written (the order the
 * contract lists them), and times in the contract's ISO-8601 form.
 */
public final class JsonWriter {
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The last second written with four year digits: 9999-12-31T23:59:59Z. */
  private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

  /** Writes a value into a builder. */
  @FunctionalInterface
  public interface Body {
    void write(JsonBuilder out);
  }

  private JsonWriter() {}

  /** One JSON value, rendered compactly as UTF-8: the bytes of an output line. */
  public static byte[] render(Body body) {
    JsonBuilder out = JsonBuilder.borrow();
    try {
      body.write(out);
      return out.toUtf8();
    } finally {
      out.release();
    }
  }

  /** Unix seconds as ISO-8601 UTC with milliseconds, e.g. {@code 2014-01-16T23:12:21.000Z}. */
  public static String isoSeconds(long unixSeconds) {
    return iso(unixSeconds, 0);
  }

  public static String isoMillis(long epochMillis) {
    return iso(Math.floorDiv(epochMillis, 1000), (int) Math.floorMod(epochMillis, 1000));
  }

  /**
   * Every summary has two of these: formatted by hand from the civil date of the day number (Howard
   * Hinnant's days-to-civil algorithm), the same text as {@link DateTimeFormatter} gives for years
   * 1970-9999, which is every time the rules accept; others go to the formatter.
   */
  private static String iso(long seconds, int millis) {
    if (seconds < 0 || seconds > LAST_FOUR_DIGIT_SECOND) {
      return ISO_MILLIS.format(Instant.ofEpochSecond(seconds, millis * 1_000_000L));
    }
    long days = seconds / 86_400;
    int secondOfDay = (int) (seconds % 86_400);
    long z = days + 719_468;
    long era = z / 146_097;
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));
    char[] text = new char[24];
    digits(text, 0, year, 4);
    text[4] = '-';
    digits(text, 5, month, 2);
    text[7] = '-';
    digits(text, 8, day, 2);
    text[10] = 'T';
    digits(text, 11, secondOfDay / 3600, 2);
    text[13] = ':';
    digits(text, 14, secondOfDay / 60 % 60, 2);
    text[16] = ':';
    digits(text, 17, secondOfDay % 60, 2);
    text[19] = '.';
    digits(text, 20, millis, 3);
    text[23] = 'Z';
    return new String(text);
  }

  private static void digits(char[] text, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
