using JasperFx;
using Npgsql;

namespace JusticeTracker.Cases;

/// <summary>Recognises the storage failures that a command answers in its own words.</summary>
public static class Failures
{
    public static bool IsUniqueViolation(Exception ex) =>
        Chain(ex).OfType<PostgresException>().Any(p => p.SqlState == PostgresErrorCodes.UniqueViolation);

    /// <summary>Someone appended to the stream between our read and our write.</summary>
    public static bool IsConcurrency(Exception ex) => Chain(ex).Any(e => e is ConcurrencyException);

    private static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }
}
