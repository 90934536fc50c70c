package dev.dataevents.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark's entry point into the jobs module still does the work the benchmark claims to
 * measure: when the job's APIs change and {@link HotPaths} is adapted, this says whether the
 * benchmarks still mean what their names say.
 */
class HotPathsTest {

  @Test
  void theParseBenchmarkLinesAreAcceptedOrRejectedAsNamed() {
    assertThat(HotPaths.rejectionReason(HotPaths.parse(BenchLines.SMALL, 1))).isNull();
    assertThat(HotPaths.rejectionReason(HotPaths.parse(BenchLines.INVALID_JSON, 1)))
        .isEqualTo("invalid_json");
    assertThat(HotPaths.rejectionReason(HotPaths.parse(BenchLines.INVALID_METADATA_VALUE, 1)))
        .isEqualTo("invalid_metadata_value");

    HotPaths.Accepted rich = HotPaths.accepted(HotPaths.parse(BenchLines.RICH, 1));
    assertThat(rich.eventName()).isEqualTo("placed-order");
    assertThat(rich.metadataKeysDropped()).isEqualTo(2);
    assertThat(rich.metadata())
        .contains("\"order_date\":1793400000", "\"stripe_invoice\":\"inv_3434343434\"")
        .contains("\"url\":\"https://example.org/orders/3434\"", "\"currency\":\"usd\"")
        .contains("\"article\":\"https://", "\"items\":3", "\"weight\":1.25", "東京", "🚀")
        .doesNotContain("renewal_date", "discount");
  }

  @Test
  void theAuthenticatedParseChecksTheTokenAndNeverShowsIt() {
    Object accepted = HotPaths.parseAuthenticated(HotPaths.authLine(BenchLines.RICH), 1);
    assertThat(HotPaths.accepted(accepted).eventName()).isEqualTo("placed-order");

    Object unknown =
        HotPaths.parseAuthenticated(
            HotPaths.authLine(BenchLines.SMALL).replace(HotPaths.TOKEN, "tok_unknown"), 1);
    assertThat(HotPaths.rejectionReason(unknown)).isEqualTo("unauthorized");

    // A known token pasted into a metadata value: the event is forbidden, the token not shown.
    String carried =
        HotPaths.authLine(
            BenchLines.SMALL.replace("}", ",\"metadata\":{\"note\":\"" + HotPaths.TOKEN + "\"}}"));
    Object forbidden = HotPaths.parseAuthenticated(carried, 1);
    assertThat(HotPaths.rejectionReason(forbidden)).isEqualTo("forbidden");
    assertThat(text(HotPaths.renderRejection(forbidden))).doesNotContain(HotPaths.TOKEN);
  }

  @Test
  void theContactStageRunsOneWholeContactAgainAndAgainAndClearsItsState() throws Exception {
    try (HotPaths.ContactStage stage = HotPaths.ContactStage.contactFunction()) {
      int first = stage.run(HotPaths.ContactStage.packed(BenchLines.contact(1000)));
      // 950 events after 50 duplicates, a summary, the listing of ~225 recent events in 5 pages.
      assertThat(first).isEqualTo(950 + 1 + 5);
      // Had the contact's state outlived its input, the second run's events were duplicates.
      assertThat(stage.run(HotPaths.ContactStage.packed(BenchLines.contact(1000))))
          .isEqualTo(first);
    }
  }

  @Test
  void theNoOpStageEmitsNothing() throws Exception {
    try (HotPaths.ContactStage stage = HotPaths.ContactStage.noOp()) {
      assertThat(stage.run(HotPaths.ContactStage.packed(BenchLines.contact(5)))).isZero();
      assertThat(stage.run(HotPaths.ContactStage.packed(BenchLines.contact(5)))).isZero();
    }
  }

  @Test
  void renderingGivesTheOutputLines() {
    assertThat(text(HotPaths.renderAcceptedEvent(HotPaths.accepted(BenchLines.SMALL, 1))))
        .isEqualTo(
            "{\"workspace_id\":\"ws_1\",\"event_name\":\"viewed-page\",\"created_at\":1793404800,"
                + "\"user_id\":\"u0001234\"}");
    assertThat(text(HotPaths.renderRejection(HotPaths.parse(BenchLines.INVALID_JSON, 3))))
        .startsWith("{\"type\":\"rejection\",\"status\":400,\"reason\":\"invalid_json\"")
        .contains("\"line\":3");

    HotPaths.ContactView contact = HotPaths.contactView(BenchLines.keptOfContact(1000));
    String summary = text(HotPaths.renderSummary(contact));
    assertThat(summary).startsWith("{\"type\":\"event.summary\",\"workspace_id\":\"ws_1\"");
    assertThat(summary.split("\"name\":")).hasSize(20 + 1);
    List<String> pages = HotPaths.renderListingPages(contact).stream().map(p -> text(p)).toList();
    assertThat(pages).hasSize(5);
    assertThat(pages.get(0)).contains("\"total_pages\":5", "\"next\":2");
  }

  /** An output line as text. */
  private static String text(byte[] line) {
    return new String(line, StandardCharsets.UTF_8);
  }
}
