using Npgsql;

namespace ChatPulse.Api.Infrastructure.Database;

/// <summary>
/// Tells "Postgres cannot be reached right now" (a refused or broken connection, a timeout opening one, a server
/// shutting down) from every other database error: a constraint violation or bad SQL is a bug or bad input, not an
/// outage, and must not be answered with "try again later".
/// </summary>
public static class DatabaseFailures
{
    /// <summary>True when <paramref name="exception"/>, or an exception it wraps, says Postgres is unavailable.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return IsUnavailableState(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true; // the connection failed underneath (socket, I/O, timeout), or the pool timed out
            }
        }

        return false;
    }

    /// <summary>Class 08 (connection exception), 57P01–57P03 (shutting down, cannot connect now), 53300 (too many connections).</summary>
    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03" or "53300";
}
