/**
 * Every file the bridge reads, served over Arrow Flight, and a client for it. Start from
 * {@link io.arrownpz.flight.FlightService} (a server over a directory) and
 * {@link io.arrownpz.flight.FlightFiles} (get and put).
 */
module io.arrownpz.flight {
  requires transitive io.arrownpz.bridge;
  requires transitive org.apache.arrow.flight.core;
  requires com.fasterxml.jackson.databind;
  requires com.google.protobuf;
  requires io.grpc;
  requires io.grpc.netty;
  requires io.netty.buffer;
  requires io.netty.transport;

  exports io.arrownpz.flight;
}
