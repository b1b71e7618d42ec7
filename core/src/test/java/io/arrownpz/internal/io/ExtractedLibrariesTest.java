package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;

class ExtractedLibrariesTest {
  private static final Path MAPS = Path.of("/proc/self/maps");

  /**
   * A library copied into the temporary folder under Arrow's loader's name and loaded goes; files of the
   * same kinds of name that are not loaded libraries stay: one mapped read-only as data, one never mapped.
   * The library is a copy of the C maths library this JVM has loaded already (it has no JNI entry point).
   */
  @Test
  void removesLoadedCopiesAndNothingElse() throws IOException {
    assumeTrue(Files.isReadable(MAPS), "only where /proc/self/maps tells what is mapped (Linux)");
    Path libm = Files.readAllLines(MAPS).stream().map(line -> line.trim().split("\\s+", 6))
        .filter(fields -> fields.length == 6 && fields[5].endsWith("/libm.so.6")).map(fields -> Path.of(fields[5]))
        .findFirst().orElseThrow(() -> new AssertionError("no libm.so.6 among this JVM's mappings"));
    Path loaded = Files.createTempFile("jnilib-", ".tmp");
    Path data = Files.createTempFile("jnilib-", ".tmp");
    Path lz4Named = Files.createTempFile("liblz4-java-", ".so");
    Path lz4Lock = lz4Named.resolveSibling(lz4Named.getFileName() + ".lck");
    Files.createFile(lz4Lock);
    try (FileChannel dataChannel = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      Files.copy(libm, loaded, StandardCopyOption.REPLACE_EXISTING);
      System.load(loaded.toString());
      dataChannel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
      MappedByteBuffer mappedData = dataChannel.map(FileChannel.MapMode.READ_ONLY, 0, 4);
      assertTrue(ExtractedLibraries.loadedCopies().contains(loaded.toRealPath()), "the copy is not seen as loaded");

      assertEquals(1, ExtractedLibraries.unlinkLoaded());

      assertFalse(Files.exists(loaded), "the loaded copy is still there");
      assertTrue(Files.exists(data), "a data file mapped read-only was removed");
      assertEquals(3, mappedData.get(2));
      assertTrue(Files.exists(lz4Named) && Files.exists(lz4Lock), "a file that was never loaded was removed");
      assertTrue(ExtractedLibraries.loadedCopies().isEmpty());
      assertEquals(0, ExtractedLibraries.unlinkLoaded(), "a second sweep found more");
    } finally {
      Files.deleteIfExists(loaded);
      Files.delete(data);
      Files.delete(lz4Named);
      Files.delete(lz4Lock);
    }
  }

  /**
   * A copy a loader is still writing (open, not yet loaded) is left while the process goes on, and goes
   * before an immediate exit; a file of a loader's name this process does not hold open stays.
   */
  @Test
  void beforeAnImmediateExitACopyBeingWrittenGoesToo() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "only where /proc/self/fd tells what is open (Linux)");
    Path writing = Files.createTempFile("jnilib-", ".tmp");
    Path closed = Files.createTempFile("jnilib-", ".tmp");
    try (FileChannel channel = FileChannel.open(writing, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {0x7f, 'E', 'L', 'F'}));
      assertEquals(0, ExtractedLibraries.unlinkLoaded());
      assertTrue(Files.exists(writing), "a copy being written went while the process goes on");
      assertTrue(ExtractedLibraries.openCopies().contains(writing.toRealPath()));
      assertEquals(1, ExtractedLibraries.unlinkBeforeExit());
      assertFalse(Files.exists(writing), "the copy being written is still there");
      assertTrue(Files.exists(closed), "a file this process does not hold went");
    } finally {
      Files.deleteIfExists(writing);
      Files.delete(closed);
    }
  }
}
