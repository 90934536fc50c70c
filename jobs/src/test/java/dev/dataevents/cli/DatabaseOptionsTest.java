package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dataevents.job.DatabaseOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Where the database credentials come from, and that a password never stands in the URL that runs
 * show and log, nor in any message about it.
 */
class DatabaseOptionsTest {
  private static final String SECRET = "pa55-w0rd-x7";

  @TempDir Path tmp;

  private static DatabaseOptions parse(String... args) {
    BackfillCommand command = new BackfillCommand();
    new CommandLine(command)
        .parseArgs(concat(new String[] {"--input", "in", "--output", "out"}, args));
    return command.bounded.database;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void withoutAUrlThereIsNoDatabase() {
    assertThat(parse().output(Map.of("PGPASSWORD", SECRET))).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://h:5432/db?user=u&password=" + SECRET,
        "jdbc:postgresql://h:5432/db?PASSWORD=" + SECRET + "&user=u",
        "jdbc:postgresql://h:5432/db?sslpassword=" + SECRET,
        "jdbc:postgresql://u:" + SECRET + "@h:5432/db",
        // Written so that the name is not plainly "password", or inside another value: the driver
        // may not take it for one, but the URL is shown in messages and logs.
        "jdbc:postgresql://h:5432/db?pass%77ord=" + SECRET,
        "jdbc:postgresql://h:5432/db?user=u;password=" + SECRET,
        "jdbc:postgresql://h:5432/db?user=u%26password%3D" + SECRET,
        "jdbc:postgresql://h:5432/db?user=u%26password%3D" + SECRET + "%"
      })
  void aPasswordInTheUrlIsRefusedWithoutRepeatingIt(String url) {
    DatabaseOptions options = parse("--jdbc-url", url);
    assertThatThrownBy(() -> options.output(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--jdbc-url: ")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aUrlOfAnotherDatabaseIsRefused() {
    DatabaseOptions options = parse("--jdbc-url", "jdbc:mysql://h/db");
    assertThatThrownBy(() -> options.output(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("jdbc:postgresql://");
  }

  @Test
  void thePasswordComesFromPgpasswordAndNeverShows() {
    DatabaseOutput output =
        parse("--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/db")
            .output(Map.of("PGPASSWORD", SECRET, "PGUSER", "writer"));
    assertThat(output.target().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/db");
    assertThat(output.target().toString()).contains("writer").doesNotContain(SECRET);
  }

  @Test
  void theUserOfTheUrlWinsOverPguser() {
    DatabaseOutput output =
        parse("--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/db?user=postgres")
            .output(Map.of("PGUSER", "writer"));
    assertThat(output.target().toString()).doesNotContain("writer");
  }

  @Test
  void aPasswordFileIsReadToTheEndOfItsFirstLine() throws Exception {
    Path file = tmp.resolve("password");
    Files.writeString(file, SECRET + "\r\nignored\n", StandardCharsets.UTF_8);
    DatabaseOutput output =
        parse(
                "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/db",
                "--jdbc-password-file",
                file.toString())
            .output(Map.of("PGPASSWORD", "other"));
    assertThat(output).isNotNull();
    assertThat(output.target().toString()).doesNotContain(SECRET);
  }

  @Test
  void aPasswordFileThatCannotBeReadOrIsEmptyIsAUsageError() throws Exception {
    Path empty = Files.writeString(tmp.resolve("empty"), "\n", StandardCharsets.UTF_8);
    String url = "jdbc:postgresql://127.0.0.1:5432/db";
    assertThatThrownBy(
            () ->
                parse("--jdbc-url", url, "--jdbc-password-file", tmp.resolve("missing").toString())
                    .output(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--jdbc-password-file: cannot read");
    assertThatThrownBy(
            () ->
                parse("--jdbc-url", url, "--jdbc-password-file", empty.toString()).output(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("holds no password");
    assertThatThrownBy(() -> parse("--jdbc-password-file", empty.toString()).output(Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessage("--jdbc-password-file needs --jdbc-url");
  }

  @Test
  void streamAndRecomputeTakeTheOptionsToo() {
    for (String command : new String[] {"stream", "recompute"}) {
      CommandLine cli = DataEventsCommand.commandLine().getSubcommands().get(command);
      assertThat(cli.getCommandSpec().findOption("--jdbc-url")).as(command).isNotNull();
      assertThat(cli.getCommandSpec().findOption("--jdbc-password-file")).as(command).isNotNull();
    }
  }
}
