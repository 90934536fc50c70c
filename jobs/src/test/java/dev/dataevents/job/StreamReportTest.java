package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamReportTest {
  @TempDir Path tmp;

  /**
   * A stream's report.json may be read as its other outputs are (a monitoring account): it gets the
   * permissions any new file gets there, not a temporary file's owner-only ones.
   */
  @Test
  void aStreamsReportIsReadableAsItsOtherOutputsAre() throws Exception {
    RunReport report = new RunReport(Map.of(Counters.INPUT_RECORDS, 1L), 0, 1, 0, 0);
    StreamReport.writeReport(report, tmp);

    Path written = tmp.resolve(BoundedRun.REPORT);
    Path usual = Files.createFile(tmp.resolve("a-new-file"));
    assertThat(Files.getPosixFilePermissions(written))
        .isEqualTo(Files.getPosixFilePermissions(usual));
    assertThat(Files.readString(written)).isEqualTo(report.toJson() + "\n");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(BoundedRun.REPORT, "a-new-file");
    }
  }
}
