package io.arrownpz.spark;

import io.arrownpz.BadFileException;
import io.arrownpz.input.InputFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * The file systems a load or a save reaches, as Spark's own file sources reach them: through Hadoop's
 * {@link FileSystem}, with the session's Hadoop configuration and the load's options (so {@code hdfs:},
 * {@code s3a:}, {@code abfs:} and a plain path on the default file system all work). A file of the local
 * file system is named by its plain path and read as a local file, mapped; a file anywhere else by its
 * full URI, read with positional reads of only the byte ranges a task needs.
 *
 * <p>Serializable, with its configuration, for the tasks that read and write on the executors.
 */
final class HadoopFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration conf;

  HadoopFiles(Configuration conf) {
    this.conf = conf;
  }

  /** The active session's Hadoop configuration with the options a load or save gives. */
  static HadoopFiles of(Map<String, String> options) {
    Configuration conf = org.apache.spark.sql.SparkSession.getActiveSession()
        .map(s -> s.sessionState().newHadoopConf()).getOrElse(Configuration::new);
    options.forEach((k, v) -> {
      if (k.startsWith("fs.") || k.startsWith("dfs.")) {
        conf.set(k, v); // as Spark's file sources pass a load's file system options on
      }
    });
    return new HadoopFiles(conf);
  }

  Configuration conf() {
    return conf;
  }

  /**
   * The file system of {@code path}; the local one without Hadoop's checksum files (NumPy files carry their
   * own CRCs in the archive, and other tools do not expect {@code .crc} files beside them). A scheme with no
   * file system on the class path fails here, naming it, before anything is read or written.
   */
  FileSystem fileSystem(Path path) throws IOException {
    FileSystem fs;
    try {
      fs = path.getFileSystem(conf);
    } catch (IOException | RuntimeException e) {
      String scheme = path.toUri().getScheme();
      throw new IllegalArgumentException("npz: " + path + ": no Hadoop file system for " + scheme + ": here ("
          + e.getMessage() + "); add the jars that provide it, as for Spark's own sources", e);
    }
    return fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checked ? checked.getRawFileSystem() : fs;
  }

  /** Whether {@code fs} is this machine's file system, whose files are mapped rather than read. */
  static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
  }

  /** How a data file is named: its plain path on the local file system, else its full URI. */
  static String name(FileSystem fs, Path qualified) {
    return isLocal(fs) ? qualified.toUri().getPath() : qualified.toString();
  }

  /** Whether a data file's name (see {@link #name}) is a local path. */
  static boolean isLocal(String name) {
    return name.startsWith("/");
  }

  /** A data file named by {@link #name}, as a local path (for NPY directories, and writes) or null. */
  static java.nio.file.Path localPath(String name) {
    return isLocal(name) ? java.nio.file.Path.of(name) : null;
  }

  /** Opens a data file for reading: a local file mapped where it can be, any other read in ranges. */
  InputFile open(String name) throws IOException {
    if (isLocal(name)) {
      return InputFile.open(java.nio.file.Path.of(name));
    }
    Path path = new Path(name);
    FileSystem fs = fileSystem(path);
    FSDataInputStream stream;
    long length;
    try {
      length = fs.getFileStatus(path).getLen();
      stream = fs.open(path);
    } catch (FileNotFoundException e) {
      throw new BadFileException(name, null, "no such file");
    }
    return new StreamFile(name, stream, length);
  }

  /** A file of a Hadoop file system, read with positional reads (which several threads may make at once). */
  private static final class StreamFile implements InputFile {
    private final String name;
    private final FSDataInputStream stream;
    private final long length;
    private final boolean byteBufferReads;

    StreamFile(String name, FSDataInputStream stream, long length) {
      this.name = name;
      this.stream = stream;
      this.length = length;
      this.byteBufferReads = stream.hasCapability(StreamCapabilities.PREADBYTEBUFFER);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public int read(ByteBuffer into, long position) throws IOException {
      int wanted = (int) Math.max(0, Math.min(into.remaining(), length - position));
      if (wanted == 0) {
        return 0;
      }
      ByteBuffer part = into.slice(into.position(), wanted);
      if (byteBufferReads) {
        stream.readFully(position, part);
      } else {
        byte[] bytes = new byte[Math.min(wanted, 1 << 20)];
        for (int done = 0; done < wanted; ) {
          int n = Math.min(bytes.length, wanted - done);
          stream.readFully(position + done, bytes, 0, n);
          part.put(done, bytes, 0, n);
          done += n;
        }
      }
      into.position(into.position() + wanted);
      return wanted;
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
