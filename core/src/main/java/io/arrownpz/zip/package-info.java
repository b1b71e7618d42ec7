/**
 * ZIP archives read in place (STORED members are views of the mapping; DEFLATED ones are inflated with
 * size and CRC checks) and written byte for byte as Python's zipfile writes them.
 */
package io.arrownpz.zip;
