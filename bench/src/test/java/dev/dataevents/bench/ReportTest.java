package dev.dataevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.bench.ProcessMeter.Measurement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final long MIB = 1 << 20;

  private static Measurement m(double wall, double cpu, long rssMib) {
    return new Measurement(wall, cpu, rssMib * MIB, 0);
  }

  @Test
  void spreadIsMinMedianMaxAndTheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    List<Measurement> odd = List.of(m(3, 0, 0), m(1, 0, 0), m(2, 0, 0));
    List<Measurement> even = List.of(m(4, 0, 0), m(1, 0, 0), m(2, 0, 0), m(10, 0, 0));
    assertThat(Report.Spread.of(odd, Measurement::wallSeconds))
        .isEqualTo(new Report.Spread(1, 2, 3));
    assertThat(Report.Spread.of(even, Measurement::wallSeconds))
        .isEqualTo(new Report.Spread(1, 3, 10));
  }

  @Test
  void comparisonShowsSpreadsRatiosOfMediansPairRatiosAndTargets() {
    List<Measurement> job = List.of(m(12, 30, 1200), m(10, 20, 1100), m(11, 25, 1000));
    List<Measurement> baseline = List.of(m(6, 10, 800), m(5, 12, 800), m(4, 8, 800));

    String text = Report.comparison(job, baseline);

    assertThat(text)
        .containsPattern("\\njob +10\\.00 / 11\\.00 / 12\\.00 ")
        .contains("20.00 / 25.00 / 30.00")
        .contains("1000 / 1100 / 1200")
        .containsPattern("\\nbaseline +4\\.00 / 5\\.00 / 6\\.00 ")
        .contains("2.20x of medians") // 11 / 5
        .contains("2.50x") // 25 / 10
        .contains("pair by pair: wall 2.00x 2.00x 2.75x; CPU 3.00x 1.67x 3.13x")
        .containsPattern("wall <= 1.0x the baseline +2.20x +NOT MET")
        .containsPattern("CPU <= 2.0x the baseline +2.50x +NOT MET")
        .containsPattern("job peak RSS <= 1 GiB +1100 MiB +NOT MET");
  }

  @Test
  void targetsMetAtTheirBounds() {
    String text = Report.comparison(List.of(m(5, 20, 1024)), List.of(m(5, 10, 900)));
    assertThat(text)
        .containsPattern("wall <= 1.0x the baseline +1.00x +met")
        .containsPattern("CPU <= 2.0x the baseline +2.00x +met")
        .containsPattern("job peak RSS <= 1 GiB +1024 MiB +met");
  }

  @Test
  void sampleRunAgainstItsThreeSecondTarget() {
    assertThat(Report.sample(List.of(m(2.9, 4, 300), m(3.4, 4, 300), m(2.5, 4, 300))))
        .containsPattern("\\nsample +2\\.50 / 2\\.90 / 3\\.40 ")
        .containsPattern("sample run under 3 s wall +2.90 s +met");
    assertThat(Report.sample(List.of(m(3.0, 4, 300))))
        .containsPattern("sample run under 3 s wall +3.00 s +NOT MET");
  }

  @Test
  void jobOnlyShowsTheJobAndItsMemoryTarget() {
    String text = Report.jobOnly(List.of(m(100, 190, 1300)));
    assertThat(text).containsPattern("\\njob +100\\.00 / 100\\.00 / 100\\.00 ");
    assertThat(text).containsPattern("job peak RSS <= 1 GiB +1300 MiB +NOT MET");
    assertThat(text).doesNotContain("baseline ");
  }

  @Test
  void theFloorBoundsTheWallTargetTwice() {
    List<Measurement> floor = List.of(m(6, 10, 470), m(5, 9, 470), m(7, 11, 470));
    List<Measurement> baseline = List.of(m(4, 7, 800), m(4, 7, 800), m(5, 8, 800));

    String text = Report.floor(floor, baseline);

    assertThat(text)
        .containsPattern("\\njob \\(floor\\) +5\\.00 / 6\\.00 / 7\\.00 ")
        .contains("1.50x of medians") // 6 / 4
        .contains("pair by pair: wall 1.50x 1.25x 1.40x; CPU 1.43x 1.29x 1.38x")
        .containsPattern("wall <= 1.0x the baseline +floor 1.50x +OUT OF REACH")
        // 10 s of CPU on two cores: 5 s, against 4 s.
        .containsPattern("the same on 2 busy cores +floor 1.25x +OUT OF REACH even");

    String reachable = Report.floor(List.of(m(3, 5, 470)), List.of(m(4, 7, 800)));
    assertThat(reachable)
        .containsPattern("wall <= 1.0x the baseline +floor 0.75x +within reach")
        .containsPattern("the same on 2 busy cores +floor 0.63x +within reach");
  }
}
