package io.arrownpz.flight.internal;

import io.arrownpz.testing.ScratchDirectories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A served directory for the name fuzz targets: {@code served/dir/x.npy} inside, and {@code served/link}
 * leading out to {@code outside/secret.npy}, which nothing may reach or create things beside.
 */
record LinkedOutDirectory(DatasetNames names, Path outside) {
  static LinkedOutDirectory create(String prefix) {
    try {
      Path base = ScratchDirectories.create(prefix);
      Path served = Files.createDirectories(base.resolve("served/dir"));
      Files.writeString(served.resolve("x.npy"), "x");
      Path outside = Files.createDirectories(base.resolve("outside"));
      Files.writeString(outside.resolve("secret.npy"), "secret");
      Files.createSymbolicLink(base.resolve("served/link"), outside);
      return new LinkedOutDirectory(new DatasetNames(base.resolve("served")), outside);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
