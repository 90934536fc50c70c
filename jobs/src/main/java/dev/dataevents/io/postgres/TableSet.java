package dev.dataevents.io.postgres;

import java.io.Serializable;
import java.util.List;

/**
 * The three tables that hold a result: the ones the functions read ({@link #CURRENT}), or a bounded
 * run's copies of them, which it fills and then swaps in.
 *
 * @param suffix empty for the current tables, else the run's suffix of its copies
 */
public record TableSet(String suffix) implements Serializable {
  public static final String SCHEMA = "data_events";
  public static final String CONTACTS = "contacts";
  public static final String EVENT_COUNTS = "event_counts";
  public static final String LISTED_EVENTS = "listed_events";

  /** The names, in the order every swap locks them (the order the functions read them in). */
  public static final List<String> NAMES = List.of(CONTACTS, EVENT_COUNTS, LISTED_EVENTS);

  /** What marks a bounded run's copies: {@code contacts__run_<id>}. */
  static final String RUN_MARK = "__run_";

  public static final TableSet CURRENT = new TableSet("");

  /** A bounded run's copies, named by its run id (lower-case letters and digits). */
  public static TableSet ofRun(String runId) {
    if (!runId.matches("[a-z0-9]{1,32}")) {
      throw new IllegalArgumentException("a run id is 1-32 lower-case letters and digits");
    }
    return new TableSet(RUN_MARK + runId);
  }

  /** The table's name within the schema, unquoted. */
  public String name(String table) {
    return table + suffix;
  }

  /** The table's schema-qualified name, for SQL. */
  public String qualified(String table) {
    return SCHEMA + "." + name(table);
  }

  public String contacts() {
    return qualified(CONTACTS);
  }

  public String eventCounts() {
    return qualified(EVENT_COUNTS);
  }

  public String listedEvents() {
    return qualified(LISTED_EVENTS);
  }
}
