using System.Security.Cryptography;
using JusticeTracker.Imports;
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
    /// When the case that counts a proceeding leaves it, the earliest linked of the others (then by
    /// id, so every node picks the same) takes the count over: an entry on its stream, appended in
    /// the transaction of the leaving.
    /// </summary>
    public static async Task HandOverAsync(IDocumentSession session, string proceeding, Guid leaving, DateTimeOffset now, CancellationToken ct)
    {
        var next = await session.Query<Case>()
            .Where(c => c.Proceeding == proceeding && c.Id != leaving)
            .OrderBy(c => c.ProceedingSince).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.LeadsProceeding })
            .FirstOrDefaultAsync(ct);
        if (next is null || next.LeadsProceeding)
        {
            return;
        }

        var day = DateOnly.FromDateTime(now.UtcDateTime);
        session.Events.Append(next.Id, new ProceedingLeadTaken(proceeding)
        {
            Entry = new EntryInfo(Ids.Of(leaving, $"lead:{proceeding}:{now.UtcTicks}"), new FuzzyDate(day, DatePrecision.Day), now, System),
        });
    }
}
