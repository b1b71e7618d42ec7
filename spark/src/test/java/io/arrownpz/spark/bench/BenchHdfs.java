package io.arrownpz.spark.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** An HDFS of one data node started in a benchmark's JVM, holding copies of the benchmark's local files. */
final class BenchHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;
  private final FileSystem fs;
  /** The folder the copies are in, as an {@code hdfs://} URI. */
  final String root;

  private BenchHdfs(MiniDFSCluster cluster, String folder) throws IOException {
    this.cluster = cluster;
    this.fs = cluster.getFileSystem();
    this.root = fs.getUri() + "/" + folder;
  }

  /** Starts an HDFS whose data lives under {@code dir}/dfs, and copies {@code names} of {@code dir} into it. */
  static BenchHdfs withCopies(Path dir, String folder, List<String> names) throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    BenchHdfs hdfs = new BenchHdfs(cluster, folder);
    for (String name : names) {
      hdfs.fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(dir.resolve(name).toUri()),
          new org.apache.hadoop.fs.Path(hdfs.root + "/" + name));
    }
    System.out.println("files read from " + hdfs.root + " (MiniDFSCluster, one data node)");
    return hdfs;
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
