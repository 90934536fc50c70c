package dev.dataevents.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.validation.ValidationSettings;
import org.junit.jupiter.api.Test;

/**
 * The mode of a run is said by its job, not inferred from its settings: what records keep past
 * parsing follows from it.
 */
class TopologyModeTest {
  private static PipelineSettings settings(boolean writeDuplicates, boolean directory) {
    return new PipelineSettings(
        new ValidationSettings(ValidationSettings.DEFAULT_WORKSPACE, 1_793_491_200L, 86_400, 10),
        PipelineSettings.DEFAULT_PER_PAGE,
        1,
        writeDuplicates,
        PipelineSettings.DEFAULT_MAX_LINE_BYTES,
        null,
        directory);
  }

  @Test
  void aStreamKeepsEachRecordsLineForItsKeyedRejections() {
    assertThat(Topology.keepsRaw(settings(false, false), Topology.Mode.STREAMING)).isTrue();
  }

  @Test
  void aBoundedRunKeepsItOnlyForDuplicatesOrTheDirectoryJoin() {
    assertThat(Topology.keepsRaw(settings(false, false), Topology.Mode.BOUNDED)).isFalse();
    assertThat(Topology.keepsRaw(settings(true, false), Topology.Mode.BOUNDED)).isTrue();
    assertThat(Topology.keepsRaw(settings(false, true), Topology.Mode.BOUNDED)).isTrue();
  }
}
