package dev.dataevents.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathOverlapTest {
  @TempDir Path tmp;

  private Path dir;

  @BeforeEach
  void realTemp() throws IOException {
    dir = tmp.toRealPath(); // the temporary folder itself may lie behind a link
  }

  private PathOverlap overlap(Path written, Path read) throws IOException {
    return PathOverlap.between(PathOverlap.realPath(written), PathOverlap.realPath(read));
  }

  @Test
  void sameContainsInsideAndNone() throws IOException {
    Path exports = Files.createDirectories(dir.resolve("exports"));
    Path jan = Files.writeString(exports.resolve("jan.jsonl"), "{}\n");
    assertThat(overlap(exports, exports)).isEqualTo(PathOverlap.SAME);
    assertThat(overlap(exports, jan)).isEqualTo(PathOverlap.CONTAINS);
    assertThat(overlap(exports.resolve("out"), exports)).isEqualTo(PathOverlap.INSIDE);
    assertThat(overlap(dir.resolve("out"), exports)).isEqualTo(PathOverlap.NONE);
  }

  @Test
  void aNamePrefixIsNoOverlap() throws IOException {
    Path exports = Files.createDirectories(dir.resolve("exports"));
    assertThat(overlap(dir.resolve("exports2"), exports)).isEqualTo(PathOverlap.NONE);
    assertThat(overlap(dir.resolve("exports.out"), exports.resolve("jan.jsonl")))
        .isEqualTo(PathOverlap.NONE);
  }

  @Test
  void dotsAreResolvedInExistingAndMissingPaths() throws IOException {
    Path exports = Files.createDirectories(dir.resolve("exports"));
    assertThat(overlap(exports.resolve("."), exports.resolve("jan.jsonl")))
        .isEqualTo(PathOverlap.CONTAINS);
    assertThat(overlap(dir.resolve("missing/../exports/new"), exports))
        .isEqualTo(PathOverlap.INSIDE);
    assertThat(PathOverlap.realPath(dir.resolve("a/b/../../exports"))).isEqualTo(exports);
  }

  @Test
  void linksAreResolvedAlsoOnTheWayToAPathThatDoesNotExistYet() throws IOException {
    Path exports = Files.createDirectories(dir.resolve("exports"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), exports);
    assertThat(overlap(link, exports.resolve("jan.jsonl"))).isEqualTo(PathOverlap.CONTAINS);
    assertThat(overlap(link.resolve("new/deeper"), exports)).isEqualTo(PathOverlap.INSIDE);
    assertThat(overlap(dir.resolve("out"), link)).isEqualTo(PathOverlap.NONE);
    // ".." after a link goes up from where the link points, as the kernel does.
    Path deep = Files.createDirectories(dir.resolve("x/y"));
    Path up = Files.createSymbolicLink(dir.resolve("up"), deep);
    assertThat(PathOverlap.realPath(up.resolve(".."))).isEqualTo(dir.resolve("x"));
  }

  @Test
  void aDanglingLinkIsFollowedToWhereItPoints() throws IOException {
    Path exports = Files.createDirectories(dir.resolve("exports"));
    Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), exports.resolve("new"));
    assertThat(PathOverlap.realPath(dangling)).isEqualTo(exports.resolve("new"));
    assertThat(overlap(dangling, exports)).isEqualTo(PathOverlap.INSIDE);
    Path relative = Files.createSymbolicLink(dir.resolve("relative"), Path.of("exports/other"));
    assertThat(PathOverlap.realPath(relative.resolve("x"))).isEqualTo(exports.resolve("other/x"));
  }

  @Test
  void aLinkLoopIsAnError() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.createSymbolicLink(a, b);
    Files.createSymbolicLink(b, a);
    assertThatThrownBy(() -> PathOverlap.realPath(a.resolve("out")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void relativePathsAreResolvedFromTheWorkingFolder() throws IOException {
    Path cwd = Path.of("").toRealPath();
    assertThat(PathOverlap.realPath(Path.of("."))).isEqualTo(cwd);
    assertThat(PathOverlap.realPath(Path.of("no-such-folder-here/x")))
        .isEqualTo(cwd.resolve("no-such-folder-here/x"));
  }
}
