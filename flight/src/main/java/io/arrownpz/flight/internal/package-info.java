/** How the Flight service finds, describes, sends and receives datasets. Not API. */
package io.arrownpz.flight.internal;
