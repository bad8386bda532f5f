using System.Globalization;
using JusticeTracker.Access.Directory;
using Marten;

namespace JusticeTracker.Quality;

/// <summary>One organisation's cases in one country, on the day of a snapshot: how many, how many with a finding, and how many per check.</summary>
public sealed record QualityCount(string OrganisationId, string Country, int Cases, int WithFindings, Dictionary<QualityRule, int> ByRule);

/// <summary>
/// The network's data quality on one day (UTC): counts only, per organisation and country, never
/// a case. One document per day, so the days kept show whether the records improve.
/// </summary>
public sealed class QualitySnapshot
{
    /// <summary>The day, <c>yyyy-MM-dd</c>: taking it again that day replaces it.</summary>
    public string Id { get; set; } = "";

    public DateTimeOffset TakenAt { get; set; }

    public List<QualityCount> Counts { get; set; } = [];

    public static string IdOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public static class QualitySnapshots
{
    /// <summary>
    /// Checks every organisation's cases with the same rules as the data-quality page, one
    /// organisation at a time, and stores the counts as the day's snapshot.
    /// </summary>
    public static async Task<QualitySnapshot> TakeAsync(IDocumentStore store, DataQualityOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var snapshot = new QualitySnapshot { Id = QualitySnapshot.IdOf(now), TakenAt = now };
        await using (var session = store.QuerySession())
        {
            foreach (var organisation in await session.Query<Organisation>().ToListAsync(ct))
            {
                var cases = await QualityReader.ForOrganisationAsync(session, organisation.Id, now, options, ct);
                snapshot.Counts.AddRange(cases.GroupBy(c => c.Country).Select(g => new QualityCount(
                    organisation.Id,
                    g.Key,
                    g.Count(),
                    g.Count(c => c.Findings.Count > 0),
                    Enum.GetValues<QualityRule>().ToDictionary(r => r, r => g.Count(c => c.Findings.Any(f => f.Rule == r))))));
            }
        }

        await using var write = store.LightweightSession();
        write.Store(snapshot);
        await write.SaveChangesAsync(ct);
        return snapshot;
    }
}

/// <summary>
/// Takes the day's data-quality snapshot once a day: every hour each node looks whether today's
/// is there, and takes it if not. Two nodes that look at once both take it and store the same
/// counts under the same id; nothing is counted twice.
/// </summary>
public sealed class QualitySnapshotter(IServiceProvider services, TimeProvider clock, ILogger<QualitySnapshotter> logger) : Hosting.HourlyJob(logger)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var now = clock.GetUtcNow();
        await using var session = store.QuerySession();
        if (await session.LoadAsync<QualitySnapshot>(QualitySnapshot.IdOf(now), ct) is null)
        {
            await QualitySnapshots.TakeAsync(store, services.GetRequiredService<DataQualityOptions>(), now, ct);
        }
    }
}
