using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using Marten;

namespace JusticeTracker.Quality;

/// <summary>A case's findings, with what the list shows of the case: its reference, country and opening day.</summary>
public sealed record CaseQuality(Guid CaseId, string Reference, string Country, DateTimeOffset OpenedAt, IReadOnlyList<QualityFinding> Findings);

public static class QualityRegistration
{
    public static WebApplicationBuilder AddDataQuality(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("DataQuality").Get<DataQualityOptions>() ?? new DataQualityOptions();
        if (options.NoEntryDays < 1)
        {
            throw new InvalidOperationException("DataQuality:NoEntryDays must be at least 1.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<QualitySnapshotter>();
        builder.Services.ConfigureMarten(marten => marten.Schema.For<QualitySnapshot>());
        return builder;
    }
}

public static class QualityReader
{
    /// <summary>
    /// Every case of one organisation with the findings of each: the case summaries, then the
    /// entries that stand on them, five hundred cases at a time.
    /// </summary>
    public static async Task<IReadOnlyList<CaseQuality>> ForOrganisationAsync(IQuerySession session, string organisationId, DateTimeOffset now, DataQualityOptions options, CancellationToken ct)
    {
        var cases = await session.Query<Case>().Where(c => c.OrganisationId == organisationId).OrderBy(c => c.Reference).ToListAsync(ct);
        var result = new List<CaseQuality>(cases.Count);
        foreach (var chunk in cases.Chunk(500))
        {
            var ids = chunk.Select(c => c.Id).ToArray();
            var entries = (await session.Query<CaseEntryView>().Where(v => ids.Contains(v.CaseId) && v.CorrectedBy == null && v.RetractedBy == null).ToListAsync(ct))
                .ToLookup(v => v.CaseId, v => v.Event);
            result.AddRange(chunk.Select(c => new CaseQuality(c.Id, c.Reference, c.Country, c.OpenedAt, DataQuality.Check(c, [.. entries[c.Id]], now, options))));
        }

        return result;
    }
}
