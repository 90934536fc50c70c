package dev.dataevents.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.CleanupOnCloseRpcSystem;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Loads Flink's Pekko RPC system for the embedded mini-cluster from a copy of its jar extracted
 * once, next to the job jar, instead of once per run.
 *
 * <p>Flink's own loader ({@code PekkoRpcSystemLoader}) copies the 24 MB {@code flink-rpc-akka.jar}
 * that its loader jar carries into a new temporary file on every start, which costs a local run a
 * few hundred milliseconds before the mini-cluster can start. This loader does the same (a {@link
 * SubmoduleClassLoader} over that jar, so Pekko and its Scala stay isolated exactly as Flink does
 * it) from a file named for the loader jar it came from: a new Flink version gets a new copy. The
 * copy is stored uncompressed (about 60 MB): its 1,500 classes loaded at every start are then read,
 * not inflated.
 *
 * <p>Only on a local run whose launcher names the folder ({@value #FOLDER_PROPERTY}, set by
 * bin/data-events); anywhere else (a cluster, the tests' mini-clusters) it declines and Flink's own
 * loader, next in priority, loads the RPC system as usual.
 */
public final class CachedRpcSystemLoader implements RpcSystemLoader {
  /** The folder of the extracted jar; set by bin/data-events (jobs/target). */
  static final String FOLDER_PROPERTY = "data-events.rpc-jar-folder";

  /** The jar inside Flink's loader jar, as {@code PekkoRpcSystemLoader} names it. */
  private static final String RPC_JAR = "flink-rpc-akka.jar";

  /** Before Flink's own loader (priority 0). */
  private static final int PRIORITY = -1;

  @Override
  public int getLoadPriority() {
    return PRIORITY;
  }

  @Override
  public RpcSystem loadRpcSystem(Configuration config) {
    String folder = System.getProperty(FOLDER_PROPERTY);
    if (folder == null || folder.isEmpty()) {
      throw new RpcLoaderException("not a local run of bin/data-events: Flink's loader applies");
    }
    ClassLoader flinkClassLoader = RpcSystem.class.getClassLoader();
    URL resource = flinkClassLoader.getResource(RPC_JAR);
    if (resource == null) {
      throw new RpcLoaderException(RPC_JAR + " is not on the classpath");
    }
    try {
      Path jar = extracted(resource, Path.of(folder));
      SubmoduleClassLoader loader =
          new SubmoduleClassLoader(new URL[] {jar.toUri().toURL()}, flinkClassLoader);
      Iterator<RpcSystem> systems = ServiceLoader.load(RpcSystem.class, loader).iterator();
      if (!systems.hasNext()) {
        loader.close();
        throw new RpcLoaderException(jar + " holds no RPC system");
      }
      // Closing it closes the class loader; no temporary file to delete (null), the copy stays.
      return new CleanupOnCloseRpcSystem(systems.next(), loader, null);
    } catch (IOException e) {
      throw new RpcLoaderException("could not load the RPC system from " + folder, e);
    }
  }

  /**
   * The extracted jar for this resource, written first if it is not there yet: to a temporary name
   * and renamed into place, so that a run started meanwhile never opens half a jar.
   */
  private static Path extracted(URL resource, Path folder) throws IOException {
    URLConnection connection = resource.openConnection();
    if (!(connection instanceof JarURLConnection jarConnection)) {
      throw new IOException(resource + " is not inside a jar");
    }
    Path source;
    try {
      source = Path.of(jarConnection.getJarFileURL().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException(resource + " is not inside a local jar", e);
    }
    // The loader jar's path, size and time name the copy: any other Flink gets its own.
    String key =
        source.toAbsolutePath()
            + "|"
            + Files.size(source)
            + "|"
            + Files.getLastModifiedTime(source).toMillis()
            + "|stored";
    Path jar =
        folder.resolve(
            String.format(Locale.ROOT, "flink-rpc-pekko-%08x.jar", key.hashCode() & 0xffffffffL));
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    Files.createDirectories(folder);
    // A new name of its own, created with the umask's permissions like the build's other files.
    Path partial = folder.resolve(".flink-rpc-pekko-" + UUID.randomUUID() + ".partial");
    try {
      connection.setUseCaches(false);
      try (InputStream in = connection.getInputStream()) {
        storeUncompressed(in, partial);
      }
      Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return jar;
  }

  /** Copies a jar entry by entry (the manifest too), each one stored as it is. */
  private static void storeUncompressed(InputStream jar, Path target) throws IOException {
    try (ZipInputStream in = new ZipInputStream(jar);
        ZipOutputStream out =
            new ZipOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry stored = new ZipEntry(entry.getName());
        stored.setMethod(ZipEntry.STORED);
        stored.setSize(bytes.length);
        stored.setCompressedSize(bytes.length);
        stored.setCrc(crc.getValue());
        if (entry.getTime() != -1) {
          stored.setTime(entry.getTime());
        }
        out.putNextEntry(stored);
        out.write(bytes);
        out.closeEntry();
      }
    }
  }
}
