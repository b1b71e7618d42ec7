package io.arrownpz.flightsql;

import java.time.Duration;

/**
 * How the SQL beside a served directory runs.
 *
 * @param memoryLimit bytes DuckDB may hold for all queries at once (its {@code memory_limit}); a query past
 *     it fails with DuckDB's out-of-memory error, the service goes on
 * @param timeout how long a query may run, and how long its result waits to be fetched, before it is
 *     cancelled and its memory freed
 * @param batchRows rows per batch of a result (DuckDB's own vector size, 2,048, is the smallest that is
 *     not cut)
 * @param sessionIdle how long a Flight SQL session (and its DuckDB connection) is kept without a query
 * @param sessions the most sessions kept at once; one more ends the longest idle, or is refused with
 *     RESOURCE_EXHAUSTED when every session has a query running
 * @param spillLimit bytes DuckDB may write to its temporary files (its {@code max_temp_directory_size}), in a
 *     directory of the server's own, removed when the service closes; a query past it fails
 * @param statementChars the longest statement text taken; a longer one is refused before DuckDB parses it
 * @param preparedStatements the most prepared statements open at once, over all clients; one more is refused
 *     with RESOURCE_EXHAUSTED until a client closes one
 */
public record SqlOptions(long memoryLimit, Duration timeout, int batchRows, Duration sessionIdle, int sessions,
    long spillLimit, int statementChars, int preparedStatements) {
  public static final SqlOptions DEFAULTS = new SqlOptions(1L << 30, Duration.ofMinutes(5), 131_072,
      Duration.ofMinutes(10), 256, 4L << 30, 1 << 20, 4096);

  public SqlOptions {
    if (memoryLimit < 16 << 20) {
      throw new IllegalArgumentException("the SQL memory limit is at least 16 MiB, not " + memoryLimit + " bytes");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the SQL time limit must be positive, not " + timeout);
    }
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive");
    }
    if (sessionIdle.isNegative() || sessionIdle.isZero()) {
      throw new IllegalArgumentException("the SQL session idle time must be positive, not " + sessionIdle);
    }
    if (sessions < 1) {
      throw new IllegalArgumentException("at least one SQL session, not " + sessions);
    }
    if (spillLimit < 0) {
      throw new IllegalArgumentException("the SQL spill limit cannot be negative, not " + spillLimit);
    }
    if (statementChars < 1 || preparedStatements < 1) {
      throw new IllegalArgumentException("the statement length and prepared statement limits must be positive");
    }
  }

  public SqlOptions withMemoryLimit(long bytes) {
    return new SqlOptions(bytes, timeout, batchRows, sessionIdle, sessions, spillLimit, statementChars, preparedStatements);
  }

  public SqlOptions withTimeout(Duration value) {
    return new SqlOptions(memoryLimit, value, batchRows, sessionIdle, sessions, spillLimit, statementChars, preparedStatements);
  }

  public SqlOptions withSessions(int most, Duration idle) {
    return new SqlOptions(memoryLimit, timeout, batchRows, idle, most, spillLimit, statementChars,
        preparedStatements);
  }

  /** These options with DuckDB's temporary files bounded to {@code bytes} (0: nothing is spilled). */
  public SqlOptions withSpillLimit(long bytes) {
    return new SqlOptions(memoryLimit, timeout, batchRows, sessionIdle, sessions, bytes, statementChars,
        preparedStatements);
  }

  /** These options with statements of at most {@code chars} characters and {@code prepared} prepared at once. */
  public SqlOptions withStatementLimits(int chars, int prepared) {
    return new SqlOptions(memoryLimit, timeout, batchRows, sessionIdle, sessions, spillLimit, chars, prepared);
  }
}
