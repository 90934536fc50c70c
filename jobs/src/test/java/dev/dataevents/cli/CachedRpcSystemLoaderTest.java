package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flink's RPC system from a jar extracted once, on a local run only. */
class CachedRpcSystemLoaderTest {
  private static final String RPC_JAR = "flink-rpc-akka.jar";

  @TempDir Path folder;

  @AfterEach
  void clearProperty() {
    System.clearProperty(CachedRpcSystemLoader.FOLDER_PROPERTY);
  }

  @Test
  void isFoundByFlinkAheadOfItsOwnLoader() {
    List<RpcSystemLoader> loaders = new ArrayList<>();
    ServiceLoader.load(RpcSystemLoader.class).forEach(loaders::add);

    assertThat(loaders).anySatisfy(l -> assertThat(l).isInstanceOf(CachedRpcSystemLoader.class));
    int ours = new CachedRpcSystemLoader().getLoadPriority();
    assertThat(loaders)
        .filteredOn(l -> !(l instanceof CachedRpcSystemLoader))
        .allSatisfy(l -> assertThat(l.getLoadPriority()).isGreaterThan(ours));
  }

  @Test
  void declinesWhenNoLauncherNamedAFolderSoThatFlinksOwnLoaderApplies() throws Exception {
    assertThatThrownBy(() -> new CachedRpcSystemLoader().loadRpcSystem(new Configuration()))
        .isInstanceOf(RpcLoaderException.class);
    // And Flink, trying the loaders in order, still gets its RPC system.
    try (RpcSystem system = RpcSystem.load(new Configuration())) {
      assertThat(system.getMaximumMessageSizeInBytes(new Configuration())).isPositive();
    }
    assertThat(folder).isEmptyDirectory();
  }

  @Test
  void extractsTheJarOnceAndKeepsItWhenTheSystemCloses() throws Exception {
    System.setProperty(CachedRpcSystemLoader.FOLDER_PROPERTY, folder.toString());

    try (RpcSystem system = RpcSystem.load(new Configuration())) {
      RpcService service = system.localServiceBuilder(new Configuration()).createAndStart();
      service.closeAsync().get();
    }
    Path jar = single(folder);
    assertThat(jar.getFileName().toString()).matches("flink-rpc-pekko-[0-9a-f]{8}\\.jar");
    long size = Files.size(jar);
    assertThat(size).isGreaterThan(1 << 20);
    // Every entry of Flink's jar, stored uncompressed with the same bytes.
    Map<String, Long> original = crcs(RpcSystem.class.getClassLoader().getResource(RPC_JAR));
    try (ZipFile copy = new ZipFile(jar.toFile())) {
      Map<String, Long> copied = new HashMap<>();
      for (ZipEntry entry : Collections.list(copy.entries())) {
        assertThat(entry.getMethod()).as(entry.getName()).isEqualTo(ZipEntry.STORED);
        CRC32 crc = new CRC32();
        try (InputStream in = copy.getInputStream(entry)) {
          crc.update(in.readAllBytes());
        }
        copied.put(entry.getName(), crc.getValue());
      }
      assertThat(copied).hasSizeGreaterThan(1000).isEqualTo(original);
    }

    // A second run uses that copy as it is.
    FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(jar, marked);
    try (RpcSystem system = new CachedRpcSystemLoader().loadRpcSystem(new Configuration())) {
      assertThat(system.getMaximumMessageSizeInBytes(new Configuration())).isPositive();
    }
    assertThat(single(folder)).isEqualTo(jar);
    assertThat(Files.getLastModifiedTime(jar)).isEqualTo(marked);
    assertThat(Files.size(jar)).isEqualTo(size);
  }

  /** Each entry of the jar at {@code url} (the manifest too), by name: the CRC of its bytes. */
  private static Map<String, Long> crcs(URL url) throws Exception {
    Map<String, Long> crcs = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(url.openStream())) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        CRC32 crc = new CRC32();
        crc.update(in.readAllBytes());
        crcs.put(entry.getName(), crc.getValue());
      }
    }
    return crcs;
  }

  /** The one entry of the folder (no partial copy left beside it). */
  private static Path single(Path folder) throws Exception {
    try (Stream<Path> entries = Files.list(folder)) {
      List<Path> all = entries.toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }
}
