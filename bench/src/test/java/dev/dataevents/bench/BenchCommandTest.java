package dev.dataevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commands the harness measures. */
class BenchCommandTest {
  /** Tests run in the module's folder. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static BenchCommand command(String... args) {
    return new BenchCommand(
        BenchOptions.parse(args), ROOT, new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  void theJobIsABackfillThroughTheLauncherAtTheReferenceTime() {
    assertThat(command("--as-of", "1700000000").jobCommand(Path.of("/in.jsonl"), Path.of("/o")))
        .containsExactly(
            ROOT.resolve("bin/data-events").toString(),
            "backfill",
            "--input",
            "/in.jsonl",
            "--output",
            "/o",
            "--as-of",
            "1700000000",
            "--overwrite");
  }

  @Test
  void theSampleRunIsTheReadmesFirstCommandWithItsOutputElsewhere() throws Exception {
    String first =
        Files.readAllLines(ROOT.resolve("README.md")).stream()
            .filter(l -> l.startsWith("bin/data-events "))
            .findFirst()
            .orElseThrow();
    List<String> readme = new ArrayList<>(Arrays.asList(first.trim().split(" +")));
    readme.set(0, ROOT.resolve("bin/data-events").toString());
    readme.set(readme.indexOf("--output") + 1, "/tmp/x/out");

    assertThat(command("--sample").sampleCommand(Path.of("/tmp/x/out"))).isEqualTo(readme);
  }

  @Test
  void theBaselineRunsOnItsOwnClassesAndJacksonOnly() {
    List<String> baseline = command().baselineCommand(Path.of("/in.jsonl"));
    assertThat(baseline).contains("-Xmx4g", PlainBaseline.class.getName());
    assertThat(baseline.get(baseline.size() - 1)).isEqualTo("/in.jsonl");
    String classPath = baseline.get(baseline.indexOf("-cp") + 1);
    assertThat(classPath.split(":")).hasSize(2);
    assertThat(classPath).contains("jackson-core");
  }

  @Test
  void aGeneratedInputIsCachedUnderItsParameters(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    BenchCommand bench = command("--dir", dir.toString(), "--events", "50", "--seed", "3");
    Path input = bench.input();
    assertThat(input).isEqualTo(dir.resolve("events-v1-50-seed3-asof1793491200.jsonl"));
    assertThat(Files.readAllLines(input)).hasSize(50);
    long written = Files.getLastModifiedTime(input).toMillis();
    Thread.sleep(20);
    assertThat(bench.input()).isEqualTo(input);
    assertThat(Files.getLastModifiedTime(input).toMillis()).isEqualTo(written);
  }
}
