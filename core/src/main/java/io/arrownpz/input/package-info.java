/**
 * Files as readers see them: positional reads of the byte ranges they need, from a local file (which is
 * also mapped) or from another file system through {@link io.arrownpz.input.InputFile}.
 */
package io.arrownpz.input;
