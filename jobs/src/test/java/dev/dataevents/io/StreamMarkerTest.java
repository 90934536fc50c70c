package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StreamMarkerTest extends OutputFixture {
  /**
   * A file of the user's under the stream marker's name is never replaced: only a marker (or what a
   * kill left of one while it was written) is.
   */
  @Test
  void theStreamMarkerReplacesOnlyAMarker() throws IOException {
    Path mine = dir.resolve("mine");
    write(mine.resolve(StreamMarker.NAME), "my stuff\n");
    assertThatThrownBy(() -> StreamMarker.mark(mine))
        .isInstanceOf(RefusedPathException.class)
        .hasMessageContaining("is not a marker of data-events");
    assertThat(Files.readString(mine.resolve(StreamMarker.NAME))).isEqualTo("my stuff\n");

    for (String earlier : new String[] {"pid=1\nstarted=2\n", "pid=12", "", "pid=1\nsta"}) {
      Path ours = dir.resolve("ours-" + earlier.length());
      write(ours.resolve(StreamMarker.NAME), earlier);
      StreamMarker.mark(ours);
      assertThat(Files.readString(ours.resolve(StreamMarker.NAME)))
          .startsWith("pid=" + ProcessHandle.current().pid());
    }
  }
}
