package dev.dataevents.io.kafka;

/**
 * Where a stream's rejections also go: a dead-letter topic.
 *
 * @param topic the topic
 * @param transactionalIdPrefix the prefix of the sink's transactional ids: the same across runs of
 *     one stream (so a run aborts what its killed predecessor left open), and no other stream's
 */
public record KafkaDeadLetters(String topic, String transactionalIdPrefix) {}
