package dev.dataevents.io.kafka;

/** Where a stream starts reading a partition when no checkpoint says where it stopped. */
public enum StartingOffsets {
  /** The consumer group's committed offset, else the earliest one (the default). */
  COMMITTED,
  /** The earliest offset the broker still holds. */
  EARLIEST,
  /** The end of the partition: only records produced after the stream started. */
  LATEST
}
