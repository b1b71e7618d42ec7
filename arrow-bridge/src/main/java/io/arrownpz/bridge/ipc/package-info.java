/**
 * Feather (Arrow IPC files) and IPC streams: the memory-mapped reader ({@link io.arrownpz.bridge.ipc.MappedFeatherReader}),
 * writers that compress whole batches at once, big-endian input swapped on read.
 */
package io.arrownpz.bridge.ipc;
