package io.arrownpz.flight;

/**
 * What each call of a {@link FlightService} that moves data takes, its own calls and a
 * {@link ServiceExtension}'s alike: one of its stream slots ({@link ServeOptions#maxStreams}), and at most
 * {@code callMemory} bytes of buffers beyond views of the files it reads ({@link ServeOptions#callMemory}).
 */
public record CallLimits(StreamSlots streams, long callMemory) {}
