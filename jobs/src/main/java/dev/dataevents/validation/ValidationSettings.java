package dev.dataevents.validation;

import java.io.Serializable;

/**
 * The options that change how records are validated.
 *
 * @param defaultWorkspace the workspace of records that name none ({@code --workspace})
 * @param referenceTime Unix seconds: {@code --as-of}, or when the run started
 * @param maxFutureSeconds how far after the reference time {@code created_at} may lie
 * @param maxMetadataKeys how many metadata keys are kept, in sent order
 */
public record ValidationSettings(
    String defaultWorkspace, long referenceTime, long maxFutureSeconds, int maxMetadataKeys)
    implements Serializable {

  public static final String DEFAULT_WORKSPACE = "default";
  public static final long DEFAULT_MAX_FUTURE_SECONDS = 86_400;
  public static final int DEFAULT_MAX_METADATA_KEYS = 10;
}
