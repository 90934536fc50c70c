package dev.dataevents.io.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromTheFirstDelayUpToTheMaximumAndStartsOverAfterAGoodConnection() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    assertThat(LongStream.generate(backoff::next).limit(10))
        .containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L, 10_000L);
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(100);
    assertThat(backoff.next()).isEqualTo(200);
  }

  @Test
  void neverOverflowsHoweverLongItFails() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofDays(365_000));
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.next()).isPositive();
    }
  }
}
