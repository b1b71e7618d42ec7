/** Not API: implementation details of arrow-npz, exported only to its own modules; they change without notice. */
package io.arrownpz.internal.npy;
