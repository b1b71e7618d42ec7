package io.arrownpz.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden files written by NumPy 2.4 and StaticFrame 5.1 (copied from shared/fixtures into the test
 * resources) and their manifest.
 */
public final class Fixtures {
  private static JsonNode manifest;

  private Fixtures() {}

  /** The fixtures directory on disk. */
  public static Path root() {
    URL url = Fixtures.class.getResource("/fixtures/manifest.json");
    if (url == null) {
      throw new IllegalStateException("test resources lack fixtures/manifest.json");
    }
    try {
      return Paths.get(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  public static synchronized JsonNode manifest() {
    if (manifest == null) {
      try (InputStream in = Files.newInputStream(root().resolve("manifest.json"))) {
        manifest = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return manifest;
  }

  /** Manifest entries of one kind ("npy", "bad", "npz", "staticframe-npz", ...). */
  public static List<JsonNode> ofKind(String kind) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode entry : manifest().get("fixtures")) {
      if (kind.equals(entry.path("kind").asText())) {
        out.add(entry);
      }
    }
    return out;
  }
}
