package dev.dataevents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.model.InputFile;
import dev.dataevents.model.SourceCatalog;
import dev.dataevents.model.SourceKind;
import dev.dataevents.reporting.Counters;
import dev.dataevents.reporting.RunReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A side input of which nothing was taken is pointed out: a wrong file passes quietly otherwise.
 */
class RunWarningsTest {
  private static InputFile file(String name, SourceKind kind) {
    return new InputFile(name, "file:///" + name, kind, 100);
  }

  private static RunReport report(long imported, long entries) {
    return new RunReport(
        Map.of(Counters.SUMMARY_RECORDS_IMPORTED, imported, Counters.DIRECTORY_ENTRIES, entries),
        0,
        1,
        0,
        0);
  }

  @Test
  void summariesOrContactsOfWhichNothingWasTakenAreNamed() {
    SourceCatalog catalog =
        new SourceCatalog(
            List.of(
                file("events.jsonl", SourceKind.EVENTS),
                file("sum.txt", SourceKind.SUMMARIES),
                file("people.jsonl", SourceKind.CONTACTS)));
    assertThat(RunConsole.warnings(catalog, report(0, 0)))
        .containsExactly(
            "no line of --summaries was imported (rejected/ says why)",
            "no entry of --contacts was accepted, so no event could find its contact (rejected/"
                + " says why)");
    assertThat(RunConsole.warnings(catalog, report(1, 1))).isEmpty();
  }

  @Test
  void aRunWithoutThoseInputsHasNothingToSay() {
    SourceCatalog catalog = new SourceCatalog(List.of(file("events.jsonl", SourceKind.EVENTS)));
    assertThat(RunConsole.warnings(catalog, report(0, 0))).isEmpty();
  }
}
