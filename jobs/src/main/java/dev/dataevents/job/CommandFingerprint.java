package dev.dataevents.job;

import dev.dataevents.json.Json;
import dev.dataevents.validation.ValidationSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What makes a stream's checkpoints its own: the inputs, the output, and the options that change
 * which records are accepted and what is written. A checkpoint holds the state of one such command
 * (its dedup set, its read positions, its counts); resumed under another, the outputs would mix two
 * streams.
 *
 * <p>Left out on purpose: a Kafka input's brokers, consumer group and starting offsets (only its
 * topics count), how often things happen (checkpoint and emit intervals), the parallelism (Flink
 * rescales keyed state), the checkpoint folder itself (it may be moved), and the tokens of {@code
 * --auth}: only whether lines carry a token is part of it, so that tokens can be rotated or their
 * file moved. No secret is ever part of it.
 *
 * @param values field name -> its value (a string, a number, a boolean, or null when not given), in
 *     a fixed order
 */
public record CommandFingerprint(Map<String, Object> values) {

  /** The fingerprint of a stream request without a database. */
  public static CommandFingerprint of(StreamRun.Request request) {
    return of(request, false);
  }

  /**
   * The fingerprint of a stream request. Paths are real paths where they exist.
   *
   * @param database whether it also writes to a database ({@code --jdbc-url})
   */
  public static CommandFingerprint of(StreamRun.Request request, boolean database) {
    PipelineSettings settings = request.settings();
    ValidationSettings validation = settings.validation();
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("socket", request.socket());
    values.put("watch", path(request.watch()));
    // The topics, not the brokers' addresses (they may move) nor the group or the starting
    // offsets (they matter only when there is no checkpoint).
    values.put(
        "kafka_topics",
        request.kafka() == null
            ? null
            : String.join(",", request.kafka().topics().stream().sorted().toList()));
    // The dead-letter sink has state (its open transactions): it cannot come or go on a resume.
    values.put(
        "kafka_rejected_topic",
        request.kafka() == null || request.kafka().deadLetters() == null
            ? null
            : request.kafka().deadLetters().topic());
    values.put("contacts", path(request.contacts()));
    // The database sink has state too (the snapshots it commits with each checkpoint): it cannot
    // come or go on a resume either. Not its URL: the server may move.
    values.put("database", database ? "postgresql" : null);
    values.put("output", path(request.output()));
    values.put("auth", settings.auth() != null);
    values.put("workspace", validation.defaultWorkspace());
    values.put("max_metadata_keys", (long) validation.maxMetadataKeys());
    values.put("max_future_seconds", validation.maxFutureSeconds());
    values.put("max_line_bytes", (long) settings.maxLineBytes());
    values.put("per_page", (long) settings.perPage());
    values.put("dedup_horizon_seconds", request.dedupHorizon().toSeconds());
    return new CommandFingerprint(values);
  }

  private static String path(Path path) {
    if (path == null) {
      return null;
    }
    try {
      return Files.exists(path)
          ? path.toRealPath().toString()
          : path.toAbsolutePath().normalize().toString();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize().toString();
    }
  }

  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    values.forEach((name, value) -> node.set(name, Json.mapper().valueToTree(value)));
    return node;
  }

  /** Reads a fingerprint written by {@link #toJson()}. */
  public static CommandFingerprint fromJson(JsonNode node) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = field.getValue();
      values.put(
          field.getKey(),
          value.isNull()
              ? null
              : value.isBoolean()
                  ? (Object) value.booleanValue()
                  : value.isIntegralNumber() ? (Object) value.longValue() : value.asText());
    }
    return new CommandFingerprint(values);
  }

  /**
   * What differs from an earlier fingerprint, one entry per field, e.g. {@code watch: was /a, now
   * /b}; empty when they match. A field one of them lacks counts as not given.
   */
  public List<String> differencesFrom(CommandFingerprint earlier) {
    Set<String> names = new LinkedHashSet<>(values.keySet());
    names.addAll(earlier.values.keySet());
    List<String> differences = new ArrayList<>();
    for (String name : names) {
      Object was = earlier.values.get(name);
      Object now = values.get(name);
      if (!Objects.equals(was, now)) {
        differences.add(name + ": was " + shown(was) + ", now " + shown(now));
      }
    }
    return differences;
  }

  private static String shown(Object value) {
    return value == null ? "not given" : String.valueOf(value);
  }
}
