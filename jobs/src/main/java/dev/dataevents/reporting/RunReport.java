package dev.dataevents.reporting;

import dev.dataevents.output.JsonWriter;
import dev.dataevents.validation.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of a run, as written to {@code report.json}. Built from the job's accumulators, so
 * every count comes from the operator that decided it.
 */
public final class RunReport {
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
    try {
      return Json.mapper()
          .writerWithDefaultPrettyPrinter()
          .writeValueAsString(Json.mapper().readTree(compactJson()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String compactJson() {
    return JsonWriter.render(
        out -> {
          out.writeStartObject();
          for (String name : COUNTS_BEFORE_REASONS) {
            out.writeNumberField(name, count(name));
          }
          out.writeObjectFieldStart("rejected_by_reason");
          for (Map.Entry<String, Long> e : rejectedByReason.entrySet()) {
            out.writeNumberField(e.getKey(), e.getValue());
          }
          out.writeEndObject();
          for (String name : COUNTS_AFTER_REASONS) {
            out.writeNumberField(name, count(name));
          }
          out.writeNumberField("reference_time", referenceTime);
          out.writeNumberField("parallelism", parallelism);
          out.writeStringField("started_at", JsonWriter.isoMillis(startedAtMillis));
          out.writeStringField("finished_at", JsonWriter.isoMillis(finishedAtMillis));
          out.writeNumberField("elapsed_ms", elapsedMillis());
          out.writeEndObject();
        });
  }
}
