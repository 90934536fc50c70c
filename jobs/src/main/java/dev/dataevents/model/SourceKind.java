package dev.dataevents.model;

/** What the lines of an input file are. */
public enum SourceKind {
  /** Events, one per line ({@code --input}, {@code --archive}). */
  EVENTS,
  /** Imported summaries ({@code --summaries}). */
  SUMMARIES,
  /** The contacts directory ({@code --contacts}). */
  CONTACTS
}
