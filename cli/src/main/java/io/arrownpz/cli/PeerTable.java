package io.arrownpz.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Our first reads beside the Python peers' reads of the same files, with ratios (ours / peer). */
final class PeerTable {
  private PeerTable() {}

  static void print(PrintWriter out, List<Measurement> results, PythonPeers peers, int runs) {
    out.printf(Locale.ROOT, "beside the peers (%s), reading the same files, every value touched, medians of %d "
        + "(ratio = ours / peer, under 1: ours faster)%n%n", peers.versions, runs);
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "input"));
    for (PythonPeers.Peer peer : PythonPeers.Peer.values()) {
      header.append(String.format(Locale.ROOT, " %14s %22s %6s", "ours " + peer.ours.label, peer.label, "ratio"));
    }
    out.println(header);
    for (Map.Entry<String, List<Measurement>> input : ResultTable.byInput(results).entrySet()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s", input.getKey()));
      for (PythonPeers.Peer peer : PythonPeers.Peer.values()) {
        double ours = input.getValue().stream().filter(m -> m.format() == peer.ours && m.ok())
            .mapToDouble(Measurement::readMs).findFirst().orElse(Double.NaN);
        double theirs = peers.median(input.getKey(), peer);
        line.append(String.format(Locale.ROOT, " %14s %22s %6s", Double.isNaN(ours) ? "-" : Units.millis(ours),
            Double.isNaN(theirs) ? "-" : Units.millis(theirs),
            Double.isNaN(ours) || Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2f", ours / theirs)));
      }
      out.println(line);
    }
    out.flush();
  }
}
