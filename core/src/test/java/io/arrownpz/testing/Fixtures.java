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
import java.util.Map;
import java.util.stream.Stream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;

/**
 * The golden files written by NumPy 2.4 and StaticFrame 5.1 (copied from shared/fixtures into the test
 * resources) and their manifest.
 */
public final class Fixtures {
  private static JsonNode manifest;
  private static Path extracted;

  private Fixtures() {}

  /**
   * The fixtures directory on disk. Other modules get the fixtures inside core's test jar; they are
   * copied out once, since the code under test maps real files.
   */
  public static synchronized Path root() {
    URL url = Fixtures.class.getResource("/fixtures/manifest.json");
    if (url == null) {
      throw new IllegalStateException("test resources lack fixtures/manifest.json");
    }
    try {
      if (!"jar".equals(url.getProtocol())) {
        return Paths.get(url.toURI()).getParent();
      }
      if (extracted == null) {
        extracted = extract(url);
      }
      return extracted;
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot locate the fixtures", e);
    }
  }

  private static Path extract(URL manifestUrl) throws IOException, URISyntaxException {
    Path target = ScratchDirectories.create("arrow-npz-fixtures");
    try (FileSystem jar = FileSystems.newFileSystem(manifestUrl.toURI(), Map.of());
         Stream<Path> files = Files.walk(jar.getPath("/fixtures"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path out = target.resolve(jar.getPath("/fixtures").relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(out);
        } else {
          Files.copy(p, out);
        }
      }
    }
    return target;
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
