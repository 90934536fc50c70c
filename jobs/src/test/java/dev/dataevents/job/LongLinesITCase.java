package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.json.Json;
import dev.dataevents.testing.LauncherProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by the line limit, not by how many long lines a file has: a backfill through
 * the launcher, with its default heap, of two files of 1000 lines of about 1 MiB each (lines just
 * under the limit and lines over it), read at the same time, finishes with the right counts.
 */
class LongLinesITCase {
  private static final int LIMIT = 1024 * 1024;
  private static final int LINES = 1000;

  @TempDir Path tmp;

  /** Every fourth line is just over the limit, the others just under it. */
  private static void writeLongLines(Path file) throws IOException {
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      byte[] padding = new byte[LIMIT + 100];
      Arrays.fill(padding, (byte) 'x');
      for (int i = 0; i < LINES; i++) {
        byte[] head =
            ("{\"event_name\":\"long\",\"created_at\":1700000000,\"user_id\":\"u"
                    + i
                    + "\",\"metadata\":{\"note\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}}\n".getBytes(StandardCharsets.UTF_8);
        int length = i % 4 == 3 ? LIMIT + 100 : LIMIT - 10;
        out.write(head);
        out.write(padding, 0, length - head.length - tail.length + 1);
        out.write(tail);
      }
    }
  }

  @Test
  void aThousandLinesOfAMegabyteTwiceOverFinishWithTheRightCounts() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    writeLongLines(in.resolve("a.jsonl.gz"));
    // The same lines again: read by the other subtask at the same time, all duplicates.
    Files.copy(in.resolve("a.jsonl.gz"), in.resolve("b.jsonl.gz"));
    Path out = tmp.resolve("out");

    LauncherProcess.Result run =
        LauncherProcess.run(
            tmp,
            "backfill",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--as-of",
            "2024-01-01T00:00:00Z",
            "--parallelism",
            "2");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonNode report = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
    assertThat(report.get("input_records").asLong()).isEqualTo(2 * LINES);
    assertThat(report.get("accepted").asLong()).isEqualTo(LINES * 3 / 4);
    assertThat(report.get("duplicates").asLong()).isEqualTo(LINES * 3 / 4);
    assertThat(report.get("rejected").asLong()).isEqualTo(2 * LINES / 4);
    assertThat(report.path("rejected_by_reason").get("line_too_long").asLong())
        .isEqualTo(2 * LINES / 4);
    assertThat(report.get("metadata_values_truncated").asLong()).isEqualTo(LINES * 3 / 4);
  }
}
