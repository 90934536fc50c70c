package dev.dataevents.model;

import java.io.Serializable;

/**
 * One input file of a run.
 *
 * @param source the path as shown to users in rejections ({@code source}), built from the path the
 *     user gave
 * @param uri the absolute location the job reads
 * @param kind what its lines are
 * @param size bytes on disk, for progress
 */
public record InputFile(String source, String uri, SourceKind kind, long size)
    implements Serializable {}
