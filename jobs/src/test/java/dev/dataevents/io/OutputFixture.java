package dev.dataevents.io;

import dev.dataevents.job.BoundedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A temporary folder, and outputs in it as the tool's runs leave them: for the tests of the output
 * folder's classes.
 */
abstract class OutputFixture {
  static final OutputFolder.Layout LAYOUT = BoundedRun.LAYOUT;
  static final String REPORT =
      "{\n  \"input_records\" : 3,\n  \"accepted\" : 2,\n  \"duplicates\" : 1,\n"
          + "  \"rejected\" : 0,\n  \"rejected_by_reason\" : { },\n  \"reference_time\" : 1\n}\n";

  @TempDir Path tmp;

  Path dir;

  @BeforeEach
  void realTemp() throws IOException {
    dir = tmp.toRealPath();
  }

  static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  /** An output as a bounded run leaves it. */
  Path earlierOutput(String name) throws IOException {
    Path out = dir.resolve(name);
    write(out.resolve("report.json"), REPORT);
    write(out.resolve("events/part-00000.jsonl"), "{\"event_name\":\"a\"}\n");
    write(out.resolve("summaries/part-00001.jsonl"), "{}\n");
    Files.createDirectories(out.resolve("rejected"));
    Files.createDirectories(out.resolve("listings"));
    return out;
  }
}
