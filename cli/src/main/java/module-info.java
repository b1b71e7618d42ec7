/** The {@code arrow-npz} command. It exports nothing: it is run, not linked against. */
module io.arrownpz.cli {
  requires io.arrownpz.bridge;
  requires io.arrownpz.flight;
  requires io.arrownpz.flightsql;
  requires info.picocli;
  requires org.knowm.xchart;
  requires com.fasterxml.jackson.databind;
  requires java.desktop;
  requires java.logging;
  requires jdk.unsupported; // sun.misc.Signal: StopOnSignal

  // picocli fills the commands' annotated fields; Jackson reads the JSON mixins.
  opens io.arrownpz.cli to info.picocli, com.fasterxml.jackson.databind;
}
