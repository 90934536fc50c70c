package dev.dataevents.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsCompareOneMillionEventsOverThreePairsAfterOneWarmUp() {
    BenchOptions o = BenchOptions.parse();
    assertThat(o.events()).isEqualTo(1_000_000);
    assertThat(o.seed()).isEqualTo(7);
    assertThat(o.asOf()).isEqualTo(1_793_491_200L);
    assertThat(o.runs()).isEqualTo(3);
    assertThat(o.warmups()).isEqualTo(1);
    assertThat(o.jobOnly()).isFalse();
    assertThat(o.sample()).isFalse();
    assertThat(o.file()).isNull();
    assertThat(o.javaOpts()).isNull();
  }

  @Test
  void jobOnlySkipsTheWarmUpUnlessAsked() {
    BenchOptions o = BenchOptions.parse("--events", "10_000_000", "--job-only", "--runs", "1");
    assertThat(o.events()).isEqualTo(10_000_000);
    assertThat(o.jobOnly()).isTrue();
    assertThat(o.runs()).isEqualTo(1);
    assertThat(o.warmups()).isZero();
    assertThat(BenchOptions.parse("--job-only", "--warmups", "2").warmups()).isEqualTo(2);
  }

  @Test
  void takesAFileADirAndJavaOptions() {
    BenchOptions o =
        BenchOptions.parse(
            "--file", "ref.jsonl", "--dir", "/tmp/b", "--java-opts", "-Xmx1g -XX:+UseSerialGC");
    assertThat(o.file()).isEqualTo(Path.of("ref.jsonl"));
    assertThat(o.dir()).isEqualTo(Path.of("/tmp/b"));
    assertThat(o.javaOpts()).isEqualTo("-Xmx1g -XX:+UseSerialGC");
  }

  @Test
  void refusesWhatItCannotDo() {
    assertThatThrownBy(() -> BenchOptions.parse("--runs", "0")).hasMessageContaining("--runs");
    assertThatThrownBy(() -> BenchOptions.parse("--events", "many"))
        .hasMessageContaining("--events needs a whole number");
    assertThatThrownBy(() -> BenchOptions.parse("--runs")).hasMessageContaining("--runs");
    assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessageContaining("--fast");
    assertThatThrownBy(() -> BenchOptions.parse("--sample", "--job-only"))
        .hasMessageContaining("exclude");
    for (String other : new String[] {"--sample", "--job-only"}) {
      assertThatThrownBy(() -> BenchOptions.parse("--floor", other))
          .hasMessageContaining("--floor excludes");
    }
    assertThatThrownBy(() -> BenchOptions.parse("--floor", "--file", "ref.jsonl"))
        .hasMessageContaining("--floor excludes");
  }

  @Test
  void theFloorIsAComparisonOfGeneratedFiles() {
    assertThat(BenchOptions.parse().floor()).isFalse();
    BenchOptions o = BenchOptions.parse("--floor", "--events", "5000", "--runs", "5");
    assertThat(o.floor()).isTrue();
    assertThat(o.events()).isEqualTo(5000);
    assertThat(o.runs()).isEqualTo(5);
    assertThat(o.warmups()).isEqualTo(1);
  }
}
