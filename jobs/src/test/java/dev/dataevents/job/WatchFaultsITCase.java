package dev.dataevents.job;

import static dev.dataevents.testing.OutputFiles.lines;
import static dev.dataevents.testing.Polling.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.cli.DataEventsCommand;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import dev.dataevents.testing.FailOnLine;
import dev.dataevents.testing.MiniCluster;
import dev.dataevents.testing.ReportFiles;
import dev.dataevents.testing.Schemas;
import dev.dataevents.testing.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A watched folder survives bad files and bad subfolders: a file that cannot be read to its end is
 * one {@code unreadable_file} rejection after the lines read before it, once, also across a
 * restore; a subfolder that cannot be listed is skipped and the other files keep flowing. A bounded
 * run with such a file fails with one line naming it.
 */
class WatchFaultsITCase {
  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniCluster.extension();

  private static final int GZ_LINES = 20_000;

  @TempDir Path tmp;

  private static String event(String user, int i) {
    return "{\"event_name\":\"opened-email\",\"created_at\":"
        + (System.currentTimeMillis() / 1000 - 60 - i)
        + ",\"user_id\":\""
        + user
        + "\"}\n";
  }

  /** A gzip file of {@code lines} distinct events, cut in the middle of its compressed bytes. */
  private static byte[] truncatedGzip(int lines) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < lines; i++) {
        gz.write(event("gz" + i, 0).getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] whole = bytes.toByteArray();
    return java.util.Arrays.copyOf(whole, whole.length / 2);
  }

  /** Complete lines that can be read from a broken gzip before it breaks off. */
  private static int readableLines(byte[] gzip) throws IOException {
    int newlines = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (int i = 0; i < n; i++) {
          newlines += buffer[i] == '\n' ? 1 : 0;
        }
      }
    } catch (IOException expected) {
      return newlines;
    }
    throw new AssertionError("the gzip was meant to be broken");
  }

  private static void moveIn(Path file, Path folder) throws IOException {
    Files.createDirectories(folder);
    Files.move(file, folder.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aBrokenGzipIsOneRejectionAfterItsLinesAndTheStreamGoesOnAcrossARestore() throws Exception {
    Path staging = Files.createDirectories(tmp.resolve("staging"));
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    byte[] broken = truncatedGzip(GZ_LINES);
    int readable = readableLines(broken);
    assertThat(readable).isBetween(1, GZ_LINES - 1);
    Files.write(staging.resolve("broken.jsonl.gz"), broken);
    Files.writeString(staging.resolve("before.jsonl"), event("a", 1) + event("b", 2));
    Files.writeString(staging.resolve("after.jsonl"), event("c", 3) + FailOnLine.TEXT + "\n");
    Files.writeString(staging.resolve("last.jsonl"), event("d", 4));
    // An entry that cannot be listed or read (a link to nowhere) beside and above good files.
    Files.createSymbolicLink(in.resolve("gone"), tmp.resolve("nowhere"));
    Files.createDirectories(in.resolve("z"));
    Files.createSymbolicLink(in.resolve("z").resolve("gone.jsonl"), tmp.resolve("nowhere"));

    JobClient job =
        Streams.start(
            Streams.watching(in).output(out).request(), new Configuration(), FailOnLine.tap());
    try {
      moveIn(staging.resolve("before.jsonl"), in);
      moveIn(staging.resolve("broken.jsonl.gz"), in.resolve("z"));
      await(
          "the readable lines of the broken file and its rejection",
          () -> lines(out, "events").size() == 2 + readable && lines(out, "rejected").size() == 1);
      // The next file fails the job once, after the rejection was committed: the restored job
      // must not read the broken file, nor reject it, again.
      moveIn(staging.resolve("after.jsonl"), in.resolve("z"));
      await("the failure", FailOnLine.FAILED::get);
      await(
          "the file after the failure",
          () -> lines(out, "events").size() == 3 + readable && lines(out, "rejected").size() == 2);
      moveIn(staging.resolve("last.jsonl"), in);
      await("the last file", () -> lines(out, "events").size() == 4 + readable);
      Thread.sleep(1000); // a few more checkpoints: anything doubled would show now
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }

    List<String> rejected = lines(out, "rejected");
    assertThat(rejected).hasSize(2);
    String unreadable =
        rejected.stream().filter(l -> l.contains("unreadable_file")).findFirst().orElseThrow();
    assertThat(unreadable)
        .contains(
            "\"status\":422",
            "\"reason\":\"unreadable_file\"",
            "\"field\":null",
            "\"source\":\"" + in.resolve("z").resolve("broken.jsonl.gz") + "\"",
            "\"line\":" + (readable + 1) + ",",
            "\"raw\":\"EOFException: Unexpected end of ZLIB input stream\"");
    assertThat(rejected).anySatisfy(l -> assertThat(l).contains("\"reason\":\"invalid_json\""));
    rejected.forEach(l -> Schemas.assertValid("rejection.schema.json", l));
    assertThat(lines(out, "events")).hasSize(4 + readable);

    RunReport report =
        StreamReport.write(out.resolve(StreamRun.CHECKPOINTS), out, ReportFiles.checkpointReader())
            .orElseThrow();
    assertThat(report.balanced()).isTrue();
    assertThat(report.count(Counters.INPUT_RECORDS)).isEqualTo(4 + readable + 2);
    assertThat(report.rejectedByReason()).containsEntry("unreadable_file", 1L);
  }

  @Test
  void aBoundedRunWithABrokenFileFailsWithOneLineNamingIt() throws IOException {
    boundedRunFailsOn(truncatedGzip(GZ_LINES), "Unexpected end of ZLIB input stream");
  }

  @Test
  void aBoundedRunWithBytesAfterTheLastGzipMemberFails() throws IOException {
    // Java's GZIPInputStream would end the file at the garbage without a word.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(event("gz", 0).getBytes(StandardCharsets.UTF_8));
    }
    bytes.writeBytes("appended while copied\n".getBytes(StandardCharsets.UTF_8));
    boundedRunFailsOn(bytes.toByteArray(), "Not in GZIP format after gzip member 1");
  }

  private void boundedRunFailsOn(byte[] brokenGzip, String why) throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("good.jsonl"), event("a", 1));
    Files.write(in.resolve("broken.jsonl.gz"), brokenGzip);
    StringWriter err = new StringWriter();
    CommandLine cli = DataEventsCommand.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute(
            "backfill",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--parallelism",
            "2");
    assertThat(code).isEqualTo(DataEventsCommand.EXIT_FAILED);
    assertThat(err.toString().lines().filter(l -> l.startsWith("error:")))
        .singleElement()
        .asString()
        .contains("cannot read " + in.resolve("broken.jsonl.gz"))
        .contains(why);
    assertThat(err.toString()).doesNotContain("\tat ");
    assertThat(tmp.resolve("out")).doesNotExist();
  }
}
