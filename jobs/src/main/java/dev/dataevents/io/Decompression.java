package dev.dataevents.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;

/**
 * How a file's bytes become its text: gzip by the {@code .gz} extension (in any case), read
 * strictly; the other extensions Flink's file source knows ({@code .bz2}, {@code .xz}, {@code
 * .deflate}) as Flink reads them; anything else as it is.
 *
 * <p>Flink's own gzip reader is Java's {@code GZIPInputStream}, which can end a damaged file
 * without an error ({@link StrictGzipInputStream} says how); the contract fails a bounded run on a
 * corrupt {@code .gz}, and a stream rejects it. {@code .gzip} is read the same way.
 */
public final class Decompression {
  private static final int BUFFER_BYTES = 64 * 1024;

  private Decompression() {}

  /** Whether the file is compressed, and so cannot be split (and its size says little). */
  public static boolean isCompressed(String path) {
    String name = path.toLowerCase(Locale.ROOT);
    return isGzip(name) || StandardDeCompressors.getDecompressorForFileName(name) != null;
  }

  /**
   * The text of {@code raw}, a file at {@code path}: decompressed when the name says so. Opening a
   * compressed file reads its header.
   */
  static InputStream open(String path, InputStream raw) throws IOException {
    String name = path.toLowerCase(Locale.ROOT);
    if (isGzip(name)) {
      return new StrictGzipInputStream(raw, BUFFER_BYTES);
    }
    InflaterInputStreamFactory<?> other = StandardDeCompressors.getDecompressorForFileName(name);
    return other == null ? raw : other.create(new BufferedInputStream(raw, BUFFER_BYTES));
  }

  private static boolean isGzip(String lowerCaseName) {
    return lowerCaseName.endsWith(".gz") || lowerCaseName.endsWith(".gzip");
  }
}
