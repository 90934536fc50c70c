package dev.dataevents.testing;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates JSON text against the project's JSON Schema files in {@code schemas/} (draft 2020-12).
 * Tests run with working directory {@code jobs/}, so the folder is {@code ../schemas}; {@code
 * schemas} (from the repository root) works too. Loaded schemas are cached.
 *
 * <p>The text is read strictly, like the job reads its input: a repeated key or trailing content is
 * an error, reported in the returned list rather than thrown.
 */
public final class Schemas {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** The {@code $id} prefix of every schema; a {@code $ref} to another schema resolves under it. */
  static final String ID_PREFIX = "https://dataevents.dev/schemas/";

  private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private Schemas() {}

  /** The {@code schemas/} folder of the repository. */
  public static Path directory() {
    for (Path candidate : List.of(Path.of("..", "schemas"), Path.of("schemas"))) {
      if (Files.isDirectory(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "no schemas/ folder in ../schemas or schemas from " + Path.of("").toAbsolutePath());
  }

  /** A schema file, e.g. {@code event.schema.json}. */
  public static Path file(String schemaFileName) {
    Path file = directory().resolve(schemaFileName);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no schema file " + file);
    }
    return file;
  }

  /** A schema file's JSON, as a tree. */
  public static JsonNode document(String schemaFileName) {
    try (InputStream in = Files.newInputStream(file(schemaFileName))) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema " + schemaFileName, e);
    }
  }

  /** The loaded (and cached) schema. */
  public static JsonSchema schema(String schemaFileName) {
    return CACHE.computeIfAbsent(
        schemaFileName, name -> Factory.INSTANCE.getSchema(document(name)));
  }

  /**
   * Draft 2020-12, with the schemas' own {@code $id}s read from {@code schemas/}: a {@code $ref}
   * such as {@code "event.schema.json"} (in auth-line.schema.json) never goes to the network.
   */
  private static final class Factory {
    static final JsonSchemaFactory INSTANCE =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder ->
                builder.schemaMappers(
                    mappers -> mappers.mapPrefix(ID_PREFIX, directory().toUri().toString())));
  }

  /**
   * What is wrong with {@code jsonText} according to the schema: empty when it is valid. Text that
   * is not one JSON value (or repeats a key) gives a single message saying so.
   */
  public static List<String> errors(String schemaFileName, String jsonText) {
    JsonSchema schema = schema(schemaFileName);
    JsonNode node;
    try {
      node = MAPPER.readTree(jsonText);
    } catch (JsonProcessingException e) {
      return List.of("not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      return List.of("not valid JSON: no value");
    }
    return errors(schema, node);
  }

  /** What is wrong with a JSON value according to the schema: empty when it is valid. */
  public static List<String> errors(String schemaFileName, JsonNode json) {
    return errors(schema(schemaFileName), json);
  }

  private static List<String> errors(JsonSchema schema, JsonNode json) {
    return schema.validate(json).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** Fails, with the messages and the text, unless {@code jsonText} is valid. */
  public static void assertValid(String schemaFileName, String jsonText) {
    List<String> errors = errors(schemaFileName, jsonText);
    if (!errors.isEmpty()) {
      fail(
          "%s does not validate against %s:%n  %s",
          abbreviate(jsonText), schemaFileName, String.join(System.lineSeparator() + "  ", errors));
    }
  }

  /** Fails unless {@code jsonText} breaks the schema. */
  public static void assertInvalid(String schemaFileName, String jsonText) {
    if (errors(schemaFileName, jsonText).isEmpty()) {
      fail("%s validates against %s but should not", abbreviate(jsonText), schemaFileName);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
  }
}
