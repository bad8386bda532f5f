using System.Security.Cryptography;
using Marten;

namespace JusticeTracker.Cases.Linking;

/// <summary>
/// Proceedings shared by linked cases (ADR 29): their pseudonymous keys, and who counts each one
/// in the statistics. The case that starts a proceeding counts it; when it leaves (its link is
/// retracted, or it is erased), the earliest linked of the others takes the count over, in the
/// same transaction, so a proceeding is always counted once while any case is linked to it.
/// </summary>
public static class Proceedings
{
    /// <summary>Crockford's base 32: no I, L, O or U, so a key read aloud or copied by hand stays right.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private const string Prefix = "PR-";
    private const int Length = 10;

    /// <summary>Who records the handover of a proceeding's count: the system, for no organisation.</summary>
    public static readonly Recorder System = new("system", UserRole.LegalExpert, null);

    /// <summary>A new key: 50 random bits, so keys cannot be guessed, and nothing in them means anything.</summary>
    public static string NewKey() => Prefix + RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The key as a person may type it (spaces, lower case), or null when it is not a key.</summary>
    public static string? Normalise(string? text)
    {
        var key = text?.Trim().ToUpperInvariant();
        return key is { Length: 13 } && key.StartsWith(Prefix, StringComparison.Ordinal) && key[Prefix.Length..].All(Alphabet.Contains) ? key : null;
    }

    /// <summary>
    /// Serialises the changes to one proceeding's cases, in the transaction of the write: a case
    /// joining and the counting case leaving at the same moment each see the other's outcome.
    /// </summary>
    public static async Task LockAsync(IDocumentSession session, string proceeding, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await session.AdvancedSql.QueryAsync<int>("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 29))) AS locked", ct, proceeding);
    }

    /// <summary>
    /// A case joining a proceeding that no linked case counts (the one that counted it left while
    /// the others were away) counts it itself: the link it appends says so.
    /// </summary>
    public static async Task<ProceedingLinked> JoiningAsync(IDocumentSession session, ProceedingLinked link, Guid joining, CancellationToken ct)
    {
        await LockAsync(session, link.Proceeding!, ct);
        var counted = await session.Query<Case>().AnyAsync(c => c.Proceeding == link.Proceeding && c.LeadsProceeding && c.Id != joining, ct);
        return counted ? link : link with { Starts = true };
    }

    /// <summary>
    /// When the case that counts a proceeding leaves it, the earliest linked of the others (then by
    /// id, so every node picks the same) takes the count over: an entry on its stream, appended in
    /// the transaction of the leaving. <paramref name="leaving"/> are the cases leaving together.
    /// </summary>
    public static async Task HandOverAsync(IDocumentSession session, string proceeding, IReadOnlyCollection<Guid> leaving, DateTimeOffset now, CancellationToken ct)
    {
        await LockAsync(session, proceeding, ct);
        var others = await session.Query<Case>()
            .Where(c => c.Proceeding == proceeding)
            .OrderBy(c => c.ProceedingSince).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.LeadsProceeding })
            .ToListAsync(ct);
        var staying = others.Where(c => !leaving.Contains(c.Id)).ToList();
        if (staying.Count == 0 || staying.Any(c => c.LeadsProceeding))
        {
            return;
        }

        // A random id and a day: the entry says when the count moved, not which case left.
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        session.Events.Append(staying[0].Id, new ProceedingLeadTaken(proceeding)
        {
            Entry = new EntryInfo(Guid.NewGuid(), new FuzzyDate(day, DatePrecision.Day), new DateTimeOffset(day, TimeOnly.MinValue, TimeSpan.Zero), System),
        });
    }
}
