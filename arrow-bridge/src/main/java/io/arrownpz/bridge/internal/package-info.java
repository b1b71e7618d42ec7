/** Not API: implementation details of the bridge, exported only to the command line; they change without notice. */
package io.arrownpz.bridge.internal;
