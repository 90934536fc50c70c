package dev.dataevents.validation;

import java.io.Serializable;

/**
 * The options that change how records are validated.
 *
 * @param defaultWorkspace the workspace of records that name none ({@code --workspace})
 * @param referenceTime Unix seconds: {@code --as-of}, or when the run started; {@link
 *     #PROCESSING_TIME} in a stream, where each record is judged against the clock when it is
 *     processed
 * @param maxFutureSeconds how far after the reference time {@code created_at} may lie
 * @param maxMetadataKeys how many metadata keys are kept, in sent order
 */
public record ValidationSettings(
    String defaultWorkspace, long referenceTime, long maxFutureSeconds, int maxMetadataKeys)
    implements Serializable {

  public static final String DEFAULT_WORKSPACE = "default";

  /** A reference time that is the processing time (streams). */
  public static final long PROCESSING_TIME = -1;

  /** The reference time for a record being validated now. */
  public long referenceTimeNow() {
    return referenceTime == PROCESSING_TIME ? System.currentTimeMillis() / 1000 : referenceTime;
  }

  public static final long DEFAULT_MAX_FUTURE_SECONDS = 86_400;
  public static final int DEFAULT_MAX_METADATA_KEYS = 10;
}
