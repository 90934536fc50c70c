package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatestSnapshotsTest {
  @TempDir Path dir;

  private static String summary(String ids, int count, String at) {
    return "{\"type\":\"event.summary\",\"workspace_id\":\"ws_1\","
        + ids
        + ",\"events\":[{\"name\":\"x\",\"count\":"
        + count
        + "}],\"updated_at\":\""
        + at
        + "\"}";
  }

  private static String page(int page, int total, String at) {
    return "{\"type\":\"event.list\",\"workspace_id\":\"ws_1\",\"user_id\":\"u1\",\"intercom_user_id\":null,"
        + "\"email\":null,\"events\":[],\"pages\":{\"type\":\"pages\",\"page\":"
        + page
        + ",\"per_page\":1,\"total_pages\":"
        + total
        + ",\"next\":null},\"updated_at\":\""
        + at
        + "\"}";
  }

  @Test
  void keepsEachContactsNewestSnapshotAcrossPartFiles() throws IOException {
    String u1 = "\"user_id\":\"u1\",\"intercom_user_id\":null,\"email\":null";
    String ann = "\"user_id\":null,\"intercom_user_id\":null,\"email\":\"Ann@example.com\"";
    String annLower = "\"user_id\":null,\"intercom_user_id\":null,\"email\":\"ann@example.com\"";
    Files.writeString(
        dir.resolve("part-a-0.jsonl"),
        summary(u1, 1, "2026-11-26T10:00:00.000Z")
            + "\n"
            + summary(ann, 1, "2026-11-26T10:00:05.000Z")
            + "\n");
    Files.writeString(
        dir.resolve("part-b-0.jsonl"),
        summary(u1, 3, "2026-11-26T10:00:20.000Z")
            + "\n"
            + summary(annLower, 2, "2026-11-26T10:00:10.000Z")
            + "\n");
    // Not yet committed: skipped.
    Files.writeString(
        dir.resolve(".part-c-0.inprogress"), summary(u1, 9, "2026-11-26T11:00:00.000Z") + "\n");

    assertThat(LatestSnapshots.read(dir))
        .containsExactly(
            summary(annLower, 2, "2026-11-26T10:00:10.000Z"),
            summary(u1, 3, "2026-11-26T10:00:20.000Z"));
  }

  @Test
  void aListingSnapshotIsAllPagesOfItsNewestTime() throws IOException {
    Files.writeString(
        dir.resolve("part-0.jsonl"),
        String.join(
                "\n",
                page(1, 2, "2026-11-26T10:00:00.000Z"),
                page(2, 2, "2026-11-26T10:00:00.000Z"),
                page(2, 3, "2026-11-26T10:00:30.000Z"),
                page(1, 3, "2026-11-26T10:00:30.000Z"),
                page(3, 3, "2026-11-26T10:00:30.000Z"))
            + "\n");
    assertThat(LatestSnapshots.read(dir))
        .containsExactly(
            page(1, 3, "2026-11-26T10:00:30.000Z"),
            page(2, 3, "2026-11-26T10:00:30.000Z"),
            page(3, 3, "2026-11-26T10:00:30.000Z"));
  }

  @Test
  void readsOnlyPartFilesAndSkipsHiddenFolders() throws IOException {
    String u1 = "\"user_id\":\"u1\",\"intercom_user_id\":null,\"email\":null";
    Files.writeString(dir.resolve("part-a-0.jsonl"), summary(u1, 1, "2026-11-26T10:00:00.000Z"));
    Files.writeString(dir.resolve("notes.txt"), summary(u1, 7, "2026-11-26T12:00:00.000Z"));
    Files.createDirectories(dir.resolve("_checkpoints"));
    Files.writeString(dir.resolve("_checkpoints/x.jsonl"), "binary \u0000 state");
    assertThat(LatestSnapshots.read(dir))
        .containsExactly(summary(u1, 1, "2026-11-26T10:00:00.000Z"));
  }

  @Test
  void aLineThatIsNoSnapshotIsAnErrorNamingItsFileAndLine() throws IOException {
    Path events = dir.resolve("part-0.jsonl");
    Files.writeString(
        events, "{\"workspace_id\":\"ws_1\",\"event_name\":\"e\",\"created_at\":1}\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatestSnapshots.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            events
                + " line 1 is not a summary or listing snapshot of a stream (no \"updated_at\")");
    Files.writeString(events, "not json\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatestSnapshots.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(events + " line 1 is not JSON: ");
    // No snapshot holds bytes that are not UTF-8: a file that does is no output of a stream.
    Files.write(events, new byte[] {'\n', (byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'});
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatestSnapshots.read(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(events + " line 2 is not UTF-8 text, as a stream's snapshots are");
  }
}
