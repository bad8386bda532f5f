using JasperFx;
using Marten.Exceptions;
using Npgsql;

namespace JusticeTracker.Cases;

/// <summary>Recognises the storage failures that a command answers in its own words.</summary>
public static class Failures
{
    public static bool IsUniqueViolation(Exception ex) =>
        Chain(ex).OfType<PostgresException>().Any(p => p.SqlState == PostgresErrorCodes.UniqueViolation);

    /// <summary>
    /// Someone appended to the stream between our read and our write, or started it first: Marten
    /// reports a stream started twice as its own exception, which carries no database error.
    /// </summary>
    public static bool IsConcurrency(Exception ex) => Chain(ex).Any(e => e is ConcurrencyException or ExistingStreamIdCollisionException);

    private static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }
}
