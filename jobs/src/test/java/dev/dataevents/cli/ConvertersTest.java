package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  @Test
  void asOfTakesUnixSecondsAndIso8601() {
    assertThat(Converters.UnixTime.parse("1793491200")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T00:00:00Z")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T01:00:00+01:00")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01T00:00:00.999Z")).isEqualTo(1793491200L);
    assertThat(Converters.UnixTime.parse("2026-11-01")).isEqualTo(1793491200L);
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
}
