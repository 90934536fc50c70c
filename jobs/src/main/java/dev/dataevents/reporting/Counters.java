package dev.dataevents.reporting;

/**
 * Names of the Flink accumulators that the report is built from. Accumulators come back whole in
 * the job result and, while the job runs, from the job client (for progress).
 */
public final class Counters {
  public static final String INPUT_RECORDS = "input_records";
  public static final String BLANK_LINES = "blank_lines";
  public static final String BYTES_READ = "bytes_read";
  public static final String ACCEPTED = "accepted";
  public static final String DUPLICATES = "duplicates";
  public static final String REJECTED = "rejected";
  public static final String METADATA_KEYS_DROPPED = "metadata_keys_dropped";
  public static final String METADATA_VALUES_TRUNCATED = "metadata_values_truncated";
  public static final String SUMMARY_RECORDS_IMPORTED = "summary_records_imported";
  public static final String DIRECTORY_ENTRIES = "directory_entries";
  public static final String CONTACTS = "contacts";
  public static final String SUMMARIES = "summaries";
  public static final String LISTING_PAGES = "listing_pages";

  /** Prefix of the per-reason rejection counters, e.g. {@code rejected.invalid_json}. */
  public static final String REJECTED_PREFIX = "rejected.";

  private Counters() {}
}
