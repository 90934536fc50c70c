package dev.dataevents.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameCountsTest {
  @Test
  void countsAddUpAndTheFirstAndLastAreTheExtremes() {
    long[] counts = NameCounts.empty();
    NameCounts.add(counts, 1, 500, 500);
    NameCounts.add(counts, 3, 100, 900);
    NameCounts.add(counts, 1, 300, 300);
    assertThat(counts).containsExactly(5, 100, 900);
  }

  @Test
  void aCountSaturatesRatherThanWraps() {
    long[] counts = NameCounts.empty();
    NameCounts.add(counts, Long.MAX_VALUE - 1, 1, 1);
    NameCounts.add(counts, 5, 2, 2);
    assertThat(counts[NameCounts.COUNT]).isEqualTo(Long.MAX_VALUE);
    NameCounts.add(counts, Long.MAX_VALUE, 3, 3);
    assertThat(counts[NameCounts.COUNT]).isEqualTo(Long.MAX_VALUE);
  }
}
