package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void theLastColonSplitsHostAndPort() {
    assertThat(HostPort.parse("localhost:9999")).contains(new HostPort("localhost", 9999));
    assertThat(HostPort.parse("::1:9092")).contains(new HostPort("::1", 9092));
    assertThat(HostPort.parse("h:1").orElseThrow().toString()).isEqualTo("h:1");
  }

  @Test
  void aTextWithoutAHostOrWithoutOneToFiveDigitsOfPortIsNoAddress() {
    for (String text :
        new String[] {
          "",
          "localhost",
          ":9999",
          "localhost:",
          "h:123456",
          "h:99a",
          "h:-1",
          "h:+1",
          "h: 1",
          "h:\u0661"
        }) {
      assertThat(HostPort.parse(text)).as(text).isEmpty();
    }
  }

  @Test
  void aPortOfFiveDigitsMayStillBeOutOfRange() {
    assertThat(HostPort.parse("h:0").orElseThrow().portInRange()).isFalse();
    assertThat(HostPort.parse("h:65536").orElseThrow().portInRange()).isFalse();
    assertThat(HostPort.parse("h:99999").orElseThrow().portInRange()).isFalse();
    assertThat(HostPort.parse("h:1").orElseThrow().portInRange()).isTrue();
    assertThat(HostPort.parse("h:65535").orElseThrow().portInRange()).isTrue();
  }
}
