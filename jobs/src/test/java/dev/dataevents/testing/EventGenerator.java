package dev.dataevents.testing;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes a seeded mix of events like a real export: skewed contacts, exact and semantic duplicates,
 * metadata of several types, old and recent events, and a share of bad lines. Knows what it wrote,
 * so tests can check the job's counts against it.
 */
public final class EventGenerator {
  private static final String[] NAMES = {
    "placed-order", "viewed-page", "signed-up", "Updated.Plan", "invited-friend", "opened-email"
  };

  public int lines;
  public int bad;
  public int duplicates;
  public final Set<String> identities = new HashSet<>();

  public static EventGenerator write(Path file, int lines, long seed) throws IOException {
    EventGenerator g = new EventGenerator();
    Random rnd = new Random(seed);
    List<String> written = new ArrayList<>();
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines; i++) {
        String line;
        double r = rnd.nextDouble();
        if (r < 0.03) {
          line = badLine(rnd);
          g.bad++;
        } else if (r < 0.10 && !written.isEmpty()) {
          String previous = written.get(rnd.nextInt(written.size()));
          // Half the copies are resent with other metadata: still the same identity.
          line =
              rnd.nextBoolean()
                  ? previous
                  : previous.replaceFirst(
                      ",\"metadata\":\\{.*}}$", ",\"metadata\":{\"resent\":\"yes\"}}");
          g.duplicates++;
        } else {
          int contact = skewed(rnd, 2000);
          String name = NAMES[rnd.nextInt(NAMES.length)];
          long createdAt = Records.AS_OF - rnd.nextInt(400 * 86_400);
          String identity =
              "ws_"
                  + (contact % 3)
                  + "|"
                  + contact
                  + "|"
                  + name.toLowerCase(java.util.Locale.ROOT).replace('.', '-')
                  + "|"
                  + createdAt;
          if (!g.identities.add(identity)) {
            g.duplicates++;
          }
          line =
              "{\"workspace_id\":\"ws_"
                  + (contact % 3)
                  + "\",\"event_name\":\""
                  + name
                  + "\",\"created_at\":"
                  + createdAt
                  + ",\"user_id\":\"u"
                  + contact
                  + "\",\"metadata\":{\"n\":"
                  + rnd.nextInt(1000)
                  + ",\"link\":\"https://example.org/"
                  + i
                  + "\",\"price\":{\"amount\":"
                  + rnd.nextInt(10_000)
                  + ",\"currency\":\"eur\"}}}";
          written.add(line);
        }
        out.write(line);
        out.write('\n');
        g.lines++;
      }
    }
    return g;
  }

  private static int skewed(Random rnd, int n) {
    return (int) (n * Math.pow(rnd.nextDouble(), 2));
  }

  private static String badLine(Random rnd) {
    switch (rnd.nextInt(4)) {
      case 0:
        return "{\"event_name\":\"x\",\"created_at\":";
      case 1:
        return "{\"event_name\":\"x\",\"created_at\":1793491200000,\"user_id\":\"u1\"}";
      case 2:
        return "{\"created_at\":1793000000,\"user_id\":\"u1\"}";
      default:
        return "[1,2,3]";
    }
  }
}
