package dev.dataevents.job;

import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where each output of the topology goes. Jobs plug in file sinks; a test that only builds the
 * graph plugs in discarding ones (TopologyRejectionsTest).
 *
 * @param events accepted events
 * @param summaries one {@code event.summary} per contact
 * @param listings {@code event.list} pages
 * @param rejected rejections
 * @param duplicates duplicates, or null when they are not written
 */
public record OutputSinks(
    Sink<byte[]> events,
    Sink<byte[]> summaries,
    Sink<byte[]> listings,
    Sink<byte[]> rejected,
    Sink<byte[]> duplicates) {}
