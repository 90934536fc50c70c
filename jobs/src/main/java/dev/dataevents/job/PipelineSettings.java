package dev.dataevents.job;

import dev.dataevents.validation.TokenAuthenticator;
import dev.dataevents.validation.ValidationSettings;
import java.io.Serializable;

/**
 * Everything the topology needs to know about a run, built by the command line.
 *
 * @param validation how records are validated
 * @param perPage events per listing page
 * @param parallelism parallelism of every operator
 * @param writeDuplicates write duplicates to {@code duplicates/}
 * @param maxLineBytes longest accepted line in bytes
 * @param auth checks access tokens ({@code --auth} of a stream), or null when lines are bare events
 * @param directory whether a contacts directory resolves events ({@code --contacts})
 */
public record PipelineSettings(
    ValidationSettings validation,
    int perPage,
    int parallelism,
    boolean writeDuplicates,
    int maxLineBytes,
    TokenAuthenticator auth,
    boolean directory)
    implements Serializable {

  public static final int DEFAULT_PER_PAGE = 50;

  public static final int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
}
