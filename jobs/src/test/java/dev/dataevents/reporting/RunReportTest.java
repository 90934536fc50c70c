package dev.dataevents.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dataevents.testing.Schemas;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {
  private static RunReport report() {
    Map<String, Object> counts = new HashMap<>();
    counts.put(Counters.INPUT_RECORDS, 10L);
    counts.put(Counters.ACCEPTED, 6L);
    counts.put(Counters.DUPLICATES, 1L);
    counts.put(Counters.REJECTED, 3L);
    counts.put(Counters.REJECTED_PREFIX + "invalid_json", 2L);
    counts.put(Counters.REJECTED_PREFIX + "created_at_in_future", 1L);
    counts.put(Counters.REJECTED_PREFIX + "missing_identifier", 0L);
    counts.put(Counters.BLANK_LINES, 4L);
    counts.put(Counters.BYTES_READ, 999L);
    counts.put(Counters.CONTACTS, 2L);
    return new RunReport(counts, 1_700_000_000L, 2, 1_700_000_000_123L, 1_700_000_001_000L);
  }

  @Test
  void reportJsonListsEveryCountInTheContractsOrderPrettyPrinted() {
    assertThat(report().toJson())
        .isEqualTo(
            """
            {
              "input_records" : 10,
              "accepted" : 6,
              "duplicates" : 1,
              "rejected" : 3,
              "rejected_by_reason" : {
                "created_at_in_future" : 1,
                "invalid_json" : 2
              },
              "blank_lines" : 4,
              "metadata_keys_dropped" : 0,
              "metadata_values_truncated" : 0,
              "summary_records_imported" : 0,
              "directory_entries" : 0,
              "contacts" : 2,
              "summaries" : 0,
              "listing_pages" : 0,
              "reference_time" : 1700000000,
              "parallelism" : 2,
              "started_at" : "2023-11-14T22:13:20.123Z",
              "finished_at" : "2023-11-14T22:13:21.000Z",
              "elapsed_ms" : 877
            }""");
    Schemas.assertValid("report.schema.json", report().toJson());
  }

  @Test
  void aReportBalancesWhenEveryInputRecordIsAccountedFor() {
    assertThat(report().balanced()).isTrue();
    Map<String, Object> counts = new HashMap<>(Map.of(Counters.INPUT_RECORDS, 2L));
    assertThat(new RunReport(counts, 0, 1, 0, 0).balanced()).isFalse();
    assertThat(report().rejectedByReason())
        .containsExactly(Map.entry("created_at_in_future", 1L), Map.entry("invalid_json", 2L));
  }
}
