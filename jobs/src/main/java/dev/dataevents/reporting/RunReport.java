package dev.dataevents.reporting;

import dev.dataevents.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The counts of a run, as written to {@code report.json}. A bounded run's come from the job's
 * accumulators, a stream's from the counts in a completed checkpoint ({@link CheckpointReport}):
 * either way every count comes from the operator that decided it.
 */
public final class RunReport {
  /** The report's timestamps: ISO-8601 UTC with milliseconds, as every output of the project. */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The counters in the order report.json lists them. */
  private static final String[] COUNTS_BEFORE_REASONS = {
    Counters.INPUT_RECORDS, Counters.ACCEPTED, Counters.DUPLICATES, Counters.REJECTED
  };

  private static final String[] COUNTS_AFTER_REASONS = {
    Counters.BLANK_LINES,
    Counters.METADATA_KEYS_DROPPED,
    Counters.METADATA_VALUES_TRUNCATED,
    Counters.SUMMARY_RECORDS_IMPORTED,
    Counters.DIRECTORY_ENTRIES,
    Counters.CONTACTS,
    Counters.SUMMARIES,
    Counters.LISTING_PAGES
  };

  private final Map<String, Object> accumulators;
  private final Map<String, Long> rejectedByReason = new TreeMap<>();
  private final long referenceTime;
  private final int parallelism;
  private final long startedAtMillis;
  private final long finishedAtMillis;

  public RunReport(
      Map<String, Object> accumulators,
      long referenceTime,
      int parallelism,
      long startedAtMillis,
      long finishedAtMillis) {
    this.accumulators = accumulators;
    this.referenceTime = referenceTime;
    this.parallelism = parallelism;
    this.startedAtMillis = startedAtMillis;
    this.finishedAtMillis = finishedAtMillis;
    accumulators.forEach(
        (name, value) -> {
          if (name.startsWith(Counters.REJECTED_PREFIX)
              && value instanceof Number n
              && n.longValue() > 0) {
            rejectedByReason.put(name.substring(Counters.REJECTED_PREFIX.length()), n.longValue());
          }
        });
  }

  /** A counter's value; 0 when no operator ever counted it. */
  public long count(String counter) {
    Object value = accumulators.get(counter);
    return value instanceof Number n ? n.longValue() : 0L;
  }

  public Map<String, Long> rejectedByReason() {
    return rejectedByReason;
  }

  public long elapsedMillis() {
    return finishedAtMillis - startedAtMillis;
  }

  /** Whether every input record is accounted for: accepted, duplicate or rejected. */
  public boolean balanced() {
    return count(Counters.INPUT_RECORDS)
        == count(Counters.ACCEPTED) + count(Counters.DUPLICATES) + count(Counters.REJECTED);
  }

  /** report.json, pretty-printed with keys in a fixed order. */
  public String toJson() {
    ObjectNode report = Json.mapper().createObjectNode();
    for (String name : COUNTS_BEFORE_REASONS) {
      report.put(name, count(name));
    }
    ObjectNode reasons = report.putObject("rejected_by_reason");
    rejectedByReason.forEach(reasons::put);
    for (String name : COUNTS_AFTER_REASONS) {
      report.put(name, count(name));
    }
    report.put("reference_time", referenceTime);
    report.put("parallelism", parallelism);
    report.put("started_at", ISO_MILLIS.format(Instant.ofEpochMilli(startedAtMillis)));
    report.put("finished_at", ISO_MILLIS.format(Instant.ofEpochMilli(finishedAtMillis)));
    report.put("elapsed_ms", elapsedMillis());
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of numbers and strings always renders", e);
    }
  }
}
