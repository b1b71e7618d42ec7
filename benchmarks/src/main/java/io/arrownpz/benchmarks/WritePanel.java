package io.arrownpz.benchmarks;

import io.arrownpz.cli.SamplePanel;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes the nine panel frames as uncompressed Feather files into a directory, so that a Python peer
 * can measure itself on the same data ({@code benchmarks/pyarrow_codecs.py}).
 */
public final class WritePanel {
  private WritePanel() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "panel"));
    try (BufferAllocator allocator = new RootAllocator()) {
      for (String shape : new String[] {"tall", "square", "wide"}) {
        for (String mix : new String[] {"uniform", "mixed", "columnar"}) {
          try (VectorSchemaRoot table = SamplePanel.frame(shape, mix, 1e6, allocator)) {
            FeatherFiles.write(table, dir.resolve(shape + "_" + mix + ".feather"), IpcCompression.NONE);
          }
        }
      }
    }
    System.out.println(dir);
  }
}
