/**
 * Packing event tables into one row per group with list columns ({@link io.arrownpz.pack.Packer}) and back
 * ({@link io.arrownpz.pack.Unpacker}), in linear time and without copying already-grouped input.
 */
package io.arrownpz.pack;
