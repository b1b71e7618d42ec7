package io.arrownpz.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine;

/**
 * A dataset's address as typed: {@code grpc://HOST:PORT/PATH}, where PATH may be a file's name as it is,
 * spaces, accents, {@code #}, {@code ?} and {@code %} included. A plain URI parse refused a space, and took
 * what follows {@code #} or {@code ?} for a fragment or query, naming another dataset. An address that is a
 * valid URI without either is taken as one, so percent-escapes written out ({@code a%20b}) still mean what
 * they did.
 */
final class DatasetAddress implements CommandLine.ITypeConverter<URI> {
  @Override
  public URI convert(String value) {
    try {
      URI uri = new URI(value);
      if (uri.getRawQuery() == null && uri.getRawFragment() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // not a URI as typed: quoted below
    }
    int schemeEnd = value.indexOf("://");
    if (schemeEnd <= 0) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not an address like grpc://HOST:PORT/PATH");
    }
    int pathStart = value.indexOf('/', schemeEnd + 3);
    String authority = pathStart < 0 ? value.substring(schemeEnd + 3) : value.substring(schemeEnd + 3, pathStart);
    String path = pathStart < 0 ? null : value.substring(pathStart);
    try {
      // This constructor quotes what a URI cannot hold as it is, % included: the name is taken literally.
      return new URI(value.substring(0, schemeEnd), authority.isEmpty() ? null : authority, path, null, null);
    } catch (URISyntaxException e) {
      throw new CommandLine.TypeConversionException("'" + value + "': " + e.getReason());
    }
  }
}
