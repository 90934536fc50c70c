package dev.dataevents.testing;

import dev.dataevents.job.PipelineSettings;
import dev.dataevents.validation.TokenAuthenticator;
import dev.dataevents.validation.ValidationSettings;
import java.time.Duration;

/**
 * The settings a run gets from the command line, built for tests: the command line's defaults,
 * parallelism 2, and what a test changes.
 */
public final class Settings {
  private final long referenceTime;
  private long maxFutureSeconds = ValidationSettings.DEFAULT_MAX_FUTURE_SECONDS;
  private int perPage = PipelineSettings.DEFAULT_PER_PAGE;
  private int parallelism = 2;
  private boolean duplicates;
  private TokenAuthenticator auth;
  private boolean directory;

  private Settings(long referenceTime) {
    this.referenceTime = referenceTime;
  }

  /** A backfill's or recompute's, with {@code --as-of asOf}. */
  public static Settings bounded(long asOf) {
    return new Settings(asOf);
  }

  /** A stream's: every record is judged against the clock when it is processed. */
  public static Settings streaming() {
    return new Settings(ValidationSettings.PROCESSING_TIME);
  }

  public Settings maxFuture(Duration maxFuture) {
    this.maxFutureSeconds = maxFuture.toSeconds();
    return this;
  }

  public Settings perPage(int perPage) {
    this.perPage = perPage;
    return this;
  }

  public Settings parallelism(int parallelism) {
    this.parallelism = parallelism;
    return this;
  }

  /** {@code --duplicates}. */
  public Settings duplicates(boolean duplicates) {
    this.duplicates = duplicates;
    return this;
  }

  /** {@code --auth}: lines carry an access token. */
  public Settings auth(TokenAuthenticator auth) {
    this.auth = auth;
    return this;
  }

  /** {@code --contacts}: a contacts directory resolves events. */
  public Settings directory(boolean directory) {
    this.directory = directory;
    return this;
  }

  public PipelineSettings build() {
    return new PipelineSettings(
        new ValidationSettings(
            ValidationSettings.DEFAULT_WORKSPACE,
            referenceTime,
            maxFutureSeconds,
            ValidationSettings.DEFAULT_MAX_METADATA_KEYS),
        perPage,
        parallelism,
        duplicates,
        PipelineSettings.DEFAULT_MAX_LINE_BYTES,
        auth,
        directory);
  }
}
