package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  /**
   * An empty path is the current folder to Java: {@code --input "$DIR"} with DIR unset read the
   * whole working folder, and {@code --output ""} wrote into it. Every path option refuses it.
   */
  @Test
  void anEmptyPathIsRefusedByEveryPathOption() throws Exception {
    assertThatThrownBy(() -> Converters.PATH.convert(""))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("an empty path");
    assertThat(Converters.PATH.convert("a b/é.jsonl"))
        .isEqualTo(java.nio.file.Path.of("a b/é.jsonl"));

    for (String[] args :
        new String[][] {
          {"backfill", "--input", "", "--output", "o"},
          {"backfill", "--input", "i", "--output", ""},
          {"backfill", "--input", "i", "--output", "o", "--summaries", ""},
          {"recompute", "--archive", "", "--output", "o"},
          {"stream", "--watch", "", "--output", "o"},
          {"stream", "--watch", "w", "--output", "o", "--checkpoint-dir", ""},
        }) {
      assertThatThrownBy(() -> DataEventsCommand.commandLine().parseArgs(args))
          .as(String.join(" ", args))
          .isInstanceOf(picocli.CommandLine.ParameterException.class)
          .hasMessageContaining("an empty path");
    }
  }

  @Test
  void asOfTakesUnixSecondsAndIso8601() {
    assertThat(Converters.UnixTime.parse("1793491200")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T00:00:00Z")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T01:00:00+01:00")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T00:00:00.999Z")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01")).isEqualTo(1793491200L);
    // ISO 8601's other offset forms: without a colon, hours only.
    assertThat(Converters.UnixTime.parse("2026-11-01T01:00:00+0100")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-10-31T19:30:00-0430")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T01:00:00+01")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T01:00+01:00")).isEqualTo(1793491200L);
  }

  @Test
  void asOfRefusesAnythingElse() {
    assertThatThrownBy(() -> Converters.UnixTime.parse("yesterday"))
        .isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> Converters.UnixTime.parse("0"))
        .isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> Converters.UnixTime.parse("1793491200000"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("milliseconds");
    // As created_at: 100000000000 or more looks like milliseconds, beyond 64 bits too.
    assertThatThrownBy(() -> Converters.UnixTime.parse("99999999999999999999"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("milliseconds");
  }

  @Test
  void asOfSaysWhatIsMissingOrWhichFormsItTakes() {
    assertThatThrownBy(() -> Converters.UnixTime.parse("2026-11-01T00:00:00"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage(
            "'2026-11-01T00:00:00' has no time zone: add one, such as 2026-11-01T00:00:00Z for"
                + " UTC");
    assertThatThrownBy(() -> Converters.UnixTime.parse("yesterday"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage(
            "'yesterday' is neither Unix seconds nor an ISO-8601 date or time: give 1793491200,"
                + " 2026-11-01, 2026-11-01T00:00:00Z or 2026-11-01T01:00:00+01:00");
  }

  @Test
  void asOfIsBoundedInEveryForm() {
    assertThat(Converters.UnixTime.parse("1")).isEqualTo(1L);
    assertThat(Converters.UnixTime.parse("1970-01-01T00:00:01Z")).isEqualTo(1L);
    assertThat(Converters.UnixTime.parse("99999999999")).isEqualTo(99_999_999_999L);
    assertThat(Converters.UnixTime.parse("5138-11-16T09:46:39Z")).isEqualTo(99_999_999_999L);
    for (String outside :
        new String[] {
          "-1",
          "1970-01-01T00:00:00Z",
          "1970-01-01",
          "0001-01-01",
          "1969-12-31T23:59:59+00:00",
          "5138-11-16T09:46:40Z",
          "+999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z",
          "99999999999999999999999"
        }) {
      assertThatThrownBy(() -> Converters.UnixTime.parse(outside))
          .as(outside)
          .isInstanceOf(TypeConversionException.class)
          .hasMessageContaining("'" + outside + "'");
    }
  }

  @Test
  void durationsUseFlinksSyntaxAndBareNumbersAreSeconds() {
    assertThat(Converters.duration("86400")).isEqualTo(Duration.ofDays(1));
    assertThat(Converters.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Converters.duration("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Converters.duration("5min")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Converters.duration("90d")).isEqualTo(Duration.ofDays(90));
    assertThatThrownBy(() -> Converters.duration("soon"))
        .isInstanceOf(TypeConversionException.class);
  }

  private static <T> void accepts(ITypeConverter<T> converter, String value, T expected)
      throws Exception {
    assertThat(converter.convert(value)).as(value).isEqualTo(expected);
  }

  private static void refuses(ITypeConverter<?> converter, String value, String range) {
    assertThatThrownBy(() -> converter.convert(value))
        .as(value)
        .isInstanceOf(TypeConversionException.class)
        .hasMessageStartingWith("'" + value + "'")
        .hasMessageContaining(range);
  }

  @Test
  void perPageIsFrom1To1000() throws Exception {
    var c = new Converters.PerPage();
    accepts(c, "1", 1);
    accepts(c, "1000", 1000);
    for (String v : new String[] {"0", "1001", "-1", "2147483648", "99999999999999999999", "x"}) {
      refuses(c, v, "from 1 to 1000");
    }
  }

  @Test
  void maxMetadataKeysIsFrom0To1000() throws Exception {
    var c = new Converters.MetadataKeys();
    accepts(c, "0", 0);
    accepts(c, "1000", 1000);
    refuses(c, "-1", "from 0 to 1000");
    refuses(c, "1001", "from 0 to 1000");
  }

  @Test
  void maxLineBytesIsFrom1KiBTo64MiB() throws Exception {
    var c = new Converters.LineBytes();
    accepts(c, "1024", 1024);
    accepts(c, "67108864", 64 * 1024 * 1024);
    refuses(c, "1023", "from 1024 to 67108864");
    refuses(c, "67108865", "from 1024 to 67108864");
    refuses(c, "2147483647", "from 1024 to 67108864");
  }

  @Test
  void parallelismIsFrom1To1024() throws Exception {
    var c = new Converters.Parallelism();
    accepts(c, "1", 1);
    accepts(c, "1024", 1024);
    refuses(c, "0", "from 1 to 1024");
    refuses(c, "1025", "from 1 to 1024");
  }

  @Test
  void maxFutureIsFrom0To100YearsInSeconds() throws Exception {
    var c = new Converters.MaxFuture();
    accepts(c, "0", 0L);
    accepts(c, "36500d", 36_500L * 86_400);
    accepts(c, "3153600000", 3_153_600_000L);
    refuses(c, "3153600001", "0s to 36500d");
    refuses(c, "36501d", "0s to 36500d");
    refuses(c, "9223372036854775807", "0s to 36500d");
    refuses(c, "99999999999999999999", "0s to 36500d");
    refuses(c, "106751991167301d", "0s to 36500d");
    refuses(c, "-1s", "0s to 36500d");
  }

  @Test
  void dedupHorizonIsFrom1SecondTo100Years() throws Exception {
    var c = new Converters.DedupHorizon();
    accepts(c, "1s", Duration.ofSeconds(1));
    accepts(c, "36500d", Duration.ofDays(36_500));
    refuses(c, "0", "1s to 36500d");
    refuses(c, "999ms", "1s to 36500d");
    refuses(c, "36500d 1ms", "1s to 36500d");
    refuses(c, "36501d", "1s to 36500d");
  }

  @Test
  void checkpointIntervalIsFrom10msToADay() throws Exception {
    var c = new Converters.CheckpointInterval();
    accepts(c, "10ms", Duration.ofMillis(10));
    accepts(c, "1d", Duration.ofDays(1));
    accepts(c, "86400", Duration.ofDays(1));
    refuses(c, "9ms", "10ms to 1d");
    refuses(c, "0", "10ms to 1d");
    refuses(c, "86401", "10ms to 1d");
  }

  @Test
  void emitIntervalIsFrom0ToADay() throws Exception {
    var c = new Converters.EmitInterval();
    accepts(c, "0", Duration.ZERO);
    accepts(c, "24h", Duration.ofDays(1));
    refuses(c, "86401s", "0s to 1d");
    refuses(c, "-1ms", "0s to 1d");
  }

  @Test
  void durationsAreShownInTheirLargestWholeUnit() {
    assertThat(Converters.show(Duration.ZERO)).isEqualTo("0s");
    assertThat(Converters.show(Duration.ofMillis(10))).isEqualTo("10ms");
    assertThat(Converters.show(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Converters.show(Duration.ofMinutes(5))).isEqualTo("5min");
    assertThat(Converters.show(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(Converters.show(Duration.ofDays(36_500))).isEqualTo("36500d");
  }
}
