package dev.dataevents.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The floor does its minimum work right: dedup, count, first and last; skips what it can't use. */
class PlainBaselineTest {

  @Test
  void dedupsAndSummarisesPerWorkspaceContactAndLowerCasedName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    Files.writeString(
        file,
        String.join(
                "\n",
                "{\"workspace_id\":\"ws_1\",\"event_name\":\"Order\",\"created_at\":10,\"user_id\":\"u1\"}",
                // the same identity: the name compared lower case
                "{\"workspace_id\":\"ws_1\",\"event_name\":\"order\",\"created_at\":10,\"user_id\":\"u1\",\"metadata\":{\"a\":1}}",
                "{\"workspace_id\":\"ws_1\",\"event_name\":\"order\",\"created_at\":30,\"user_id\":\"u1\"}",
                "{\"workspace_id\":\"ws_1\",\"event_name\":\"order\",\"created_at\":20,\"user_id\":\"u1\"}",
                // another workspace, and the contact key by user_id, then id, then email
                "{\"workspace_id\":\"ws_2\",\"event_name\":\"order\",\"created_at\":10,\"user_id\":\"u1\"}",
                "{\"email\":\"A@B.com\",\"id\":\"i1\",\"event_name\":\"x\",\"created_at\":5}",
                "{\"event_name\":\"x\",\"created_at\":6,\"id\":\"i1\"}",
                "{\"event_name\":\"x\",\"created_at\":7,\"email\":\"a@b.COM\"}",
                "{\"event_name\":\"x\",\"created_at\":7,\"email\":\"A@b.com\"}",
                "",
                "not json",
                "[1,2]",
                "{\"event_name\":\"x\",\"created_at\":5}",
                "{\"event_name\":\"x\",\"created_at\":\"5\",\"user_id\":\"u1\"}",
                "{\"created_at\":5,\"user_id\":\"u1\"}")
            + "\n");

    PlainBaseline.Counts counts = PlainBaseline.run(file);

    assertThat(counts.lines()).isEqualTo(15);
    assertThat(counts.records()).isEqualTo(14);
    assertThat(counts.kept()).isEqualTo(7);
    assertThat(counts.duplicates()).isEqualTo(2);
    assertThat(counts.skipped()).isEqualTo(5);
    // ws_1/u1/order: 3 events from 10 to 30; ws_2/u1/order; id:i1/x; email:a@b.com/x
    assertThat(counts.summaries()).hasSize(4);
    assertThat(counts.summary("ws_1", "user_id:u1", "order")).containsExactly(3, 10, 30);
    assertThat(counts.summary("default", "id:i1", "x")).containsExactly(2, 5, 6);
    assertThat(counts.summary("default", "email:a@b.com", "x")).containsExactly(1, 7, 7);
  }
}
