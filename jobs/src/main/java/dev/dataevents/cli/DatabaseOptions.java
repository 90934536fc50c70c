package dev.dataevents.cli;

import dev.dataevents.io.postgres.PostgresTarget;
import dev.dataevents.job.DatabaseOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The PostgreSQL output of backfill, recompute and stream. The password is never an option (a
 * command line is seen by every user of the machine and kept in shell histories): it comes from
 * {@code PGPASSWORD} or a file, as PostgreSQL's own tools take it, and the URL that is shown and
 * logged holds none.
 */
final class DatabaseOptions {
  static final String PGUSER = "PGUSER";
  static final String PGPASSWORD = "PGPASSWORD";

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "Also write summaries and listings to PostgreSQL, schema data_events (created when"
              + " missing), e.g. jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres as"
              + " bin/local-postgres prints it. The user comes from the URL or PGUSER, the password"
              + " from PGPASSWORD or --jdbc-password-file, never from the URL. Bounded runs swap"
              + " their result in atomically; streams write what each checkpoint committed.")
  String jdbcUrl;

  @Option(
      names = "--jdbc-password-file",
      paramLabel = "FILE",
      description = "A file whose first line is the database password (instead of PGPASSWORD).")
  Path passwordFile;

  /** The database output, or null when no {@code --jdbc-url} is given. */
  DatabaseOutput output() {
    return output(System::getenv);
  }

  /**
   * As {@link #output()}, with the environment given.
   *
   * @throws UsageException for a URL that is not PostgreSQL's or holds a password, or a password
   *     file that cannot be read; the message never holds the password
   */
  DatabaseOutput output(Function<String, String> env) {
    if (jdbcUrl == null) {
      if (passwordFile != null) {
        throw new UsageException("--jdbc-password-file needs --jdbc-url");
      }
      return null;
    }
    String password = passwordFile != null ? readPassword(passwordFile) : env.apply(PGPASSWORD);
    try {
      return new DatabaseOutput(PostgresTarget.of(jdbcUrl, env.apply(PGUSER), password));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--jdbc-url: " + e.getMessage());
    }
  }

  /** For tests: the output with this environment. */
  DatabaseOutput output(Map<String, String> env) {
    return output(env::get);
  }

  private static String readPassword(Path file) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("--jdbc-password-file: cannot read " + file);
    }
    String line = content.lines().findFirst().orElse("");
    if (line.isEmpty()) {
      throw new UsageException("--jdbc-password-file: " + file + " holds no password");
    }
    return line;
  }
}
