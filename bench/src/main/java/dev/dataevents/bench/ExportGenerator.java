package dev.dataevents.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

/**
 * Generates an export of events shaped like a real one, deterministic for a seed:
 *
 * <ul>
 *   <li>skewed contacts (a few with thousands of events, most with a few) in five workspaces and
 *       the default one, known by {@code user_id} (a string, sometimes an integer), {@code id} or
 *       {@code email} (in varying case), some by two of them;
 *   <li>thirty event names, skewed, a few sent in another case or with dots;
 *   <li>{@code created_at} spread over the 400 days before the reference time, so about three in
 *       four events are older than the 90-day listing window;
 *   <li>metadata of every type of the contract (String, Number, Date, Link, Rich Link, Monetary
 *       Amount) with non-ASCII text and escapes, one event in ten with more than 10 keys, a few
 *       null values, keys repeated but for case and strings over 255 characters;
 *   <li>about 5% duplicates: exact repeats of an earlier line, and the same identity sent again
 *       with other metadata;
 *   <li>about 2% bad lines, each breaking one rule of the contract (see {@link BadLine}).
 * </ul>
 *
 * <p>About 300 bytes a line. Usage: {@code --events N --seed S --out FILE [--as-of T] [--contacts
 * C]}.
 */
public final class ExportGenerator {
  /**
   * Changes whenever the same seed would give other lines, so that inputs cached under an older
   * version are not taken for this one's.
   */
  public static final int VERSION = 1;

  /** 2026-11-01T00:00:00Z. */
  public static final long DEFAULT_AS_OF = 1_793_491_200L;

  /**
   * Contacts are drawn from a fixed population whatever the number of events, as a longer export of
   * one business has more events per contact, not only more contacts.
   */
  public static final int DEFAULT_CONTACTS = 200_000;

  static final double BAD_SHARE = 0.02;
  static final double DUPLICATE_SHARE = 0.05;

  private static final int WORKSPACES = 5;
  private static final long DAY = 86_400;
  private static final int SPREAD_DAYS = 400;

  /** Earlier events a duplicate may repeat; a bounded reservoir keeps memory flat. */
  private static final int REMEMBERED = 50_000;

  private static final String[] EVENT_NAMES = {
    "viewed-page",
    "placed-order",
    "opened-email",
    "clicked-link",
    "signed-in",
    "added-to-cart",
    "searched-help",
    "viewed-article",
    "sent-message",
    "read-message",
    "updated-profile",
    "viewed-pricing",
    "started-trial",
    "upgraded-plan",
    "invited-friend",
    "removed-from-cart",
    "submitted-form",
    "downloaded-invoice",
    "shared-document",
    "created-project",
    "archived-project",
    "joined-team",
    "left-team",
    "rated-conversation",
    "installed-app",
    "uninstalled-app",
    "connected-integration",
    "ended-trial",
    "downgraded-plan",
    "cancelled-order"
  };

  /** The event names, the most frequent first (the benchmarks' contacts use them too). */
  public static String[] eventNames() {
    return EVENT_NAMES.clone();
  }

  /** String values: plain, non-ASCII (2-, 3- and 4-byte UTF-8) and needing escapes. */
  private static final String[] WORDS = {
    "web",
    "ios",
    "android",
    "desktop",
    "newsletter",
    "spring-sale",
    "ADDAFRIEND",
    "organic",
    "café crème",
    "Zürich",
    "東京タワー",
    "🚀 launch",
    "naïve résumé",
    "quote \"inside\"",
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "Grüße, Ørsted"
  };

  private static final String[] CURRENCIES = {"usd", "eur", "gbp", "jpy", "EUR", "chf", "Usd"};

  private static final String LONG_TEXT =
      "Ein sehr langer Kommentar, der über zweihundertfünfundfünfzig Zeichen hinausgeht: "
          .repeat(4);

  /** What a generated file holds, by construction. */
  public record Counts(long lines, long bad, long duplicates, long bytes) {}

  /** What kind of lines a file holds. */
  public enum Shape {
    /** An export shaped like a real one (this class's comment): what the benchmarks run. */
    EXPORT,
    /**
     * Next to nothing for a backfill to do but run its pipeline: every line a valid event of the
     * export's contacts, names and times, holding only the fields the baseline reads and an ignored
     * note that pads it to {@link #FLOOR_LINE_CHARS}; no metadata, no duplicates, no bad lines. The
     * job run on it shows what the pipeline itself costs (start-up, reading, the keyed sort, the
     * contact stage, the outputs) with parsing next to free: {@code bin/bench --floor}.
     */
    FLOOR
  }

  /** Characters (all ASCII) of a {@link Shape#FLOOR} line: about an export line's mean size. */
  public static final int FLOOR_LINE_CHARS = 300;

  private final SplittableRandom random;
  private final long asOf;
  private final int contacts;
  private final StringBuilder out = new StringBuilder(4096);

  // A remembered event is its line up to its metadata ("head") and the rest ("tail").
  private final String[] heads = new String[REMEMBERED];
  private final String[] tails = new String[REMEMBERED];
  private int remembered;

  private long bad;
  private long duplicates;

  public ExportGenerator(long seed, long asOf, int contacts) {
    this.random = new SplittableRandom(seed);
    this.asOf = asOf;
    this.contacts = contacts;
  }

  /** Writes {@code events} lines to {@code file} (replaced only once complete). */
  public static Counts write(Path file, long events, long seed, long asOf) throws IOException {
    return write(file, events, seed, asOf, DEFAULT_CONTACTS, Shape.EXPORT);
  }

  public static Counts write(
      Path file, long events, long seed, long asOf, int contacts, Shape shape) throws IOException {
    ExportGenerator generator = new ExportGenerator(seed, asOf, contacts);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial =
        parent.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
    try {
      try (Writer writer =
          new BufferedWriter(
              new OutputStreamWriter(Files.newOutputStream(partial), StandardCharsets.UTF_8),
              1 << 16)) {
        for (long i = 0; i < events; i++) {
          writer.write(shape == Shape.FLOOR ? generator.nextFloor() : generator.next());
          writer.write('\n');
        }
      }
      // A cached input is whole or absent, never the rest of an interrupted run.
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return new Counts(events, generator.bad, generator.duplicates, Files.size(file));
  }

  /** Bad lines generated so far. */
  public long bad() {
    return bad;
  }

  /** Deliberate duplicates generated so far (repeats of an earlier event's identity). */
  public long duplicates() {
    return duplicates;
  }

  /** The next line, without its line end. */
  public String next() {
    double r = random.nextDouble();
    if (r < BAD_SHARE) {
      bad++;
      return BadLine.values()[random.nextInt(BadLine.values().length)].write(this);
    }
    if (r < BAD_SHARE + DUPLICATE_SHARE && remembered > 0) {
      duplicates++;
      int i = random.nextInt(remembered);
      if (random.nextInt(10) < 7) {
        return heads[i] + tails[i];
      }
      // The same identity sent again with other metadata: still a duplicate.
      out.setLength(0);
      out.append(heads[i]);
      if (random.nextBoolean()) {
        out.append(",\"metadata\":{\"resent\":\"yes\",\"attempt\":2}");
      }
      return out.append('}').toString();
    }
    return event();
  }

  /** The next line of a {@link Shape#FLOOR} file, without its line end. */
  public String nextFloor() {
    Event e = newEvent();
    out.setLength(0);
    e.writeHead(out);
    out.append(",\"note\":\"");
    // The note's closing quote and the object's brace end the line.
    while (out.length() < FLOOR_LINE_CHARS - 2) {
      out.append('n');
    }
    return out.append("\"}").toString();
  }

  private String event() {
    Event e = newEvent();
    out.setLength(0);
    e.writeHead(out);
    String head = out.toString();
    String tail = metadata(e.created) + "}";
    remember(head, tail);
    return head + tail;
  }

  private void remember(String head, String tail) {
    int slot = remembered < REMEMBERED ? remembered++ : random.nextInt(REMEMBERED);
    heads[slot] = head;
    tails[slot] = tail;
  }

  /** A valid event's fields as JSON text, null where absent; bad lines break one of them. */
  static final class Event {
    String workspaceId;
    String eventName;
    String createdAt;
    String identifiers; // ,"user_id":...,"email":...
    long created; // createdAt's value

    void writeHead(StringBuilder b) {
      b.append('{');
      int mark = b.length();
      field(b, mark, "workspace_id", workspaceId);
      field(b, mark, "event_name", eventName);
      field(b, mark, "created_at", createdAt);
      if (identifiers != null) {
        b.append(b.length() == mark ? identifiers.substring(1) : identifiers);
      }
    }

    private static void field(StringBuilder b, int mark, String name, String json) {
      if (json != null) {
        if (b.length() > mark) {
          b.append(',');
        }
        b.append('"').append(name).append("\":").append(json);
      }
    }
  }

  Event newEvent() {
    Event e = new Event();
    int contact = (int) (contacts * Math.pow(random.nextDouble(), 3));
    // One contact in fifty sends no workspace: it lives in the default one.
    e.workspaceId = contact % 50 == 0 ? null : "\"ws_" + (contact % WORKSPACES) + "\"";
    e.eventName = quote(eventName());
    e.created = asOf - random.nextLong(SPREAD_DAYS * DAY);
    e.createdAt = Long.toString(e.created);
    e.identifiers = identifiers(contact);
    return e;
  }

  private String eventName() {
    String name = EVENT_NAMES[(int) (EVENT_NAMES.length * Math.pow(random.nextDouble(), 2.5))];
    int variant = random.nextInt(100);
    if (variant == 0) {
      return " " + name.toUpperCase(java.util.Locale.ROOT) + " ";
    }
    if (variant == 1) {
      // "placed-order" sent as "Placed.Order": normalised to the same name.
      StringBuilder b = new StringBuilder(name.length());
      for (String part : name.split("-")) {
        b.append(b.length() == 0 ? "" : ".")
            .append(Character.toUpperCase(part.charAt(0)))
            .append(part, 1, part.length());
      }
      return b.toString();
    }
    return name;
  }

  private String identifiers(int contact) {
    int kind = contact % 20;
    if (kind < 11) {
      return ",\"user_id\":\"u" + pad(contact, 7) + "\"";
    }
    if (kind == 11) {
      return ",\"user_id\":" + (100_000 + contact);
    }
    if (kind < 17) {
      return ",\"id\":\"5f" + pad(Integer.toHexString(contact * 7919), 10) + "\"";
    }
    String email = "contact" + contact + "@example.com";
    if (random.nextInt(4) == 0) {
      email = "Contact" + contact + "@Example.COM"; // compared lower case: the same contact
    }
    return kind < 19
        ? ",\"email\":\"" + email + "\""
        : ",\"user_id\":\"u" + pad(contact, 7) + "\",\"email\":\"" + email + "\"";
  }

  /** The metadata part of a line: {@code ,"metadata":...}, or "" for none. */
  private String metadata(long createdAt) {
    int r = random.nextInt(100);
    if (r < 8) {
      return "";
    }
    if (r < 12) {
      return r < 10 ? ",\"metadata\":{}" : ",\"metadata\":null";
    }
    StringBuilder b = out;
    b.setLength(0);
    int keys = r < 90 ? 1 + random.nextInt(8) : 11 + random.nextInt(6);
    int firstType = random.nextInt(6);
    b.append(",\"metadata\":{");
    for (int k = 0; k < keys; k++) {
      if (k > 0) {
        b.append(',');
      }
      // Types rotate, so any event with six keys or more has every type.
      metadataEntry(b, (firstType + k) % 6, k, createdAt);
    }
    int extra = random.nextInt(100);
    if (extra == 0) {
      b.append(",\"note\":null"); // ignored as if not sent
    } else if (extra == 1) {
      // Equal to the first key but for case: ignored.
      quote(b.append(','), key(firstType, 0).toUpperCase(java.util.Locale.ROOT));
      b.append(":\"again\"");
    }
    return b.append('}').toString();
  }

  private static String key(int type, int k) {
    return switch (type) {
      case 0 -> "source_" + k;
      case 1 -> "load_" + k;
      case 2 -> "seen_" + k + "_date";
      case 3 -> "article_" + k;
      case 4 -> "order_" + k;
      default -> "price_" + k;
    };
  }

  private void metadataEntry(StringBuilder b, int type, int k, long createdAt) {
    b.append('"').append(key(type, k)).append("\":");
    switch (type) {
      case 0 -> {
        quote(b, random.nextInt(300) == 0 ? LONG_TEXT : WORDS[random.nextInt(WORDS.length)]);
      }
      case 1 -> {
        switch (random.nextInt(4)) {
          case 0 -> b.append(random.nextInt(1_000_000));
          case 1 -> b.append(random.nextInt(100_000) / 1000.0);
          case 2 -> b.append(-random.nextInt(500));
          default -> b.append(1 + random.nextInt(9)).append(".5e3");
        }
      }
      case 2 -> b.append(Math.max(1, createdAt - random.nextLong(30 * DAY)));
      case 3 ->
          b.append(
                  random.nextInt(5) == 0
                      ? "\"http://help.example.com/a?id="
                      : "\"https://example.org/articles/")
              .append(random.nextInt(99_999))
              .append('"');
      case 4 -> {
        int n = random.nextInt(999_999);
        b.append("{\"url\":\"https://example.org/orders/")
            .append(n)
            .append("\",\"value\":\"ORDER-")
            .append(n)
            .append("\"}");
      }
      default -> {
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        b.append('{');
        if (random.nextBoolean()) {
          b.append("\"amount\":").append(random.nextInt(500_000));
          b.append(",\"currency\":\"").append(currency).append("\"}");
        } else {
          b.append("\"currency\":\"").append(currency).append("\",");
          b.append("\"amount\":").append(random.nextInt(500_000)).append('}');
        }
      }
    }
  }

  /** Each kind of bad line breaks one rule of the contract's input table or metadata rules. */
  enum BadLine {
    TRUNCATED_JSON {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        String line = g.line(e, g.metadata(e.created));
        int cut = 5 + g.random.nextInt(Math.max(1, line.length() - 10));
        if (Character.isHighSurrogate(line.charAt(cut - 1))) {
          cut--;
        }
        return line.substring(0, cut);
      }
    },
    DUPLICATE_KEY {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        return g.line(e, ",\"event_name\":\"twice\"");
      }
    },
    NOT_AN_OBJECT {
      @Override
      String write(ExportGenerator g) {
        return switch (g.random.nextInt(4)) {
          case 0 -> "[\"placed-order\"," + (g.asOf - DAY) + "]";
          case 1 -> "\"placed-order\"";
          case 2 -> "42";
          default -> "null";
        };
      }
    },
    INVALID_WORKSPACE {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.workspaceId = "\"ws 1!\"";
        return g.line(e, "");
      }
    },
    MISSING_EVENT_NAME {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.eventName = null;
        return g.line(e, "");
      }
    },
    INVALID_EVENT_NAME {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.eventName = g.random.nextBoolean() ? "\"   \"" : "17";
        return g.line(e, "");
      }
    },
    MISSING_CREATED_AT {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.createdAt = null;
        return g.line(e, "");
      }
    },
    CREATED_AT_AS_TEXT {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.createdAt = "\"" + e.created + "\"";
        return g.line(e, "");
      }
    },
    CREATED_AT_FLOAT {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.createdAt = e.created + ".5";
        return g.line(e, "");
      }
    },
    CREATED_AT_NOT_POSITIVE {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.createdAt = g.random.nextBoolean() ? "0" : "-" + e.created;
        return g.line(e, "");
      }
    },
    MILLISECONDS {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.createdAt = e.created * 1000 + g.random.nextInt(1000) + "";
        return g.line(e, "");
      }
    },
    IN_THE_FUTURE {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.createdAt = Long.toString(g.asOf + 2 * DAY + g.random.nextLong(300 * DAY));
        return g.line(e, "");
      }
    },
    NO_IDENTIFIER {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.identifiers = null;
        return g.line(e, "");
      }
    },
    INVALID_IDENTIFIER {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        e.identifiers =
            switch (g.random.nextInt(3)) {
              case 0 -> ",\"email\":\"not-an-email\"";
              case 1 -> ",\"user_id\":true";
              default -> ",\"id\":\"" + "x".repeat(300) + "\"";
            };
        return g.line(e, "");
      }
    },
    METADATA_NOT_AN_OBJECT {
      @Override
      String write(ExportGenerator g) {
        return g.line(g.newEvent(), ",\"metadata\":[\"a\",\"b\"]");
      }
    },
    INVALID_METADATA_KEY {
      @Override
      String write(ExportGenerator g) {
        return g.line(g.newEvent(), ",\"metadata\":{\"source\":\"web\",\"page.url\":\"/pricing\"}");
      }
    },
    NESTED_OBJECT_VALUE {
      @Override
      String write(ExportGenerator g) {
        return g.line(g.newEvent(), ",\"metadata\":{\"contact\":{\"name\":\"Ada\",\"age\":36}}");
      }
    },
    NEGATIVE_AMOUNT {
      @Override
      String write(ExportGenerator g) {
        return g.line(
            g.newEvent(), ",\"metadata\":{\"price\":{\"amount\":-500,\"currency\":\"usd\"}}");
      }
    },
    UNKNOWN_CURRENCY {
      @Override
      String write(ExportGenerator g) {
        return g.line(
            g.newEvent(), ",\"metadata\":{\"price\":{\"amount\":500,\"currency\":\"dollars\"}}");
      }
    },
    RICH_LINK_NOT_HTTP {
      @Override
      String write(ExportGenerator g) {
        return g.line(
            g.newEvent(),
            ",\"metadata\":{\"order\":{\"url\":\"ftp://example.org/o/1\",\"value\":\"1\"}}");
      }
    },
    BOOLEAN_VALUE {
      @Override
      String write(ExportGenerator g) {
        return g.line(g.newEvent(), ",\"metadata\":{\"load\":3,\"paid\":true}");
      }
    },
    DATE_AS_TEXT {
      @Override
      String write(ExportGenerator g) {
        return g.line(g.newEvent(), ",\"metadata\":{\"renewal_date\":\"next week\"}");
      }
    },
    DATE_IN_MILLISECONDS {
      @Override
      String write(ExportGenerator g) {
        Event e = g.newEvent();
        return g.line(e, ",\"metadata\":{\"paid_date\":" + e.created * 1000 + "}");
      }
    };

    abstract String write(ExportGenerator g);
  }

  /** A whole line of an event's fields and a metadata part (or "" for none). */
  private String line(Event e, String metadata) {
    StringBuilder b = new StringBuilder(256);
    e.writeHead(b);
    return b.append(metadata).append('}').toString();
  }

  private static String pad(int n, int width) {
    return pad(Integer.toString(n), width);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quote(b, s);
    return b.toString();
  }

  /** A JSON string: quotes, backslashes and control characters escaped, the rest as is. */
  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  public static void main(String[] args) throws IOException {
    long events = -1;
    long seed = 7;
    long asOf = DEFAULT_AS_OF;
    int contacts = DEFAULT_CONTACTS;
    Shape shape = Shape.EXPORT;
    Path out = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--events" -> events = Long.parseLong(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--as-of" -> asOf = Long.parseLong(args[++i]);
          case "--contacts" -> contacts = Integer.parseInt(args[++i]);
          case "--out" -> out = Path.of(args[++i]);
          case "--floor" -> shape = Shape.FLOOR;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (events < 0 || out == null || contacts < 1) {
        throw new IllegalArgumentException("--events and --out are required");
      }
    } catch (RuntimeException e) {
      System.err.println("generate: " + e.getMessage());
      System.err.println(
          "usage: --events N --out FILE [--seed S (7)] [--as-of UNIX_SECONDS ("
              + DEFAULT_AS_OF
              + ")] [--contacts C ("
              + DEFAULT_CONTACTS
              + ")] [--floor (trivial events: the job's floor)]");
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    Counts counts = write(out, events, seed, asOf, contacts, shape);
    System.err.printf(
        "generate: %,d lines (%,d bad, %,d duplicates), %,d bytes in %s, %.1f s%n",
        counts.lines(),
        counts.bad(),
        counts.duplicates(),
        counts.bytes(),
        out,
        (System.nanoTime() - start) / 1e9);
  }
}
