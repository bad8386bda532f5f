using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Quality;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages.Quality;

/// <summary>
/// The network's data quality, for legal experts: the counts of the latest daily snapshot per
/// organisation and per country, and the share of cases with something to look at on each day kept.
/// </summary>
public sealed class NetworkModel(IDocumentStore store, IQuerySession session, DataQualityOptions options, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    /// <summary>Days shown in the history, newest first.</summary>
    public const int Days = 30;

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    public QualitySnapshot? Latest { get; private set; }

    public IReadOnlyList<QualitySnapshot> History { get; private set; } = [];

    public IReadOnlyDictionary<string, Organisation> Organisations { get; private set; } = new Dictionary<string, Organisation>();

    /// <summary>This page of the organisations, by name, each with its counts summed over its countries.</summary>
    public IReadOnlyList<(Organisation Organisation, QualityCount Count)> Listed { get; private set; } = [];

    public int PageCount { get; private set; } = 1;

    public int NoEntryDays => options.NoEntryDays;

    public async Task OnGetAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.QualityRead);
        History = await session.Query<QualitySnapshot>().OrderByDescending(s => s.Id).Take(Days).ToListAsync(ct);
        Latest = History.Count > 0 ? History[0] : null;
        Organisations = (await session.Query<Organisation>().ToListAsync(ct)).ToDictionary(o => o.Id);
        var byOrganisation = (Latest?.Counts ?? []).GroupBy(c => c.OrganisationId)
            .Select(g => (Organisation: Organisations.GetValueOrDefault(g.Key) ?? new Organisation(g.Key, g.Key, ""), Count: Sum(g.Key, "", g)))
            .OrderBy(o => o.Organisation.Name, StringComparer.CurrentCulture).ToList();
        PageCount = Math.Max(1, (byOrganisation.Count + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Listed = [.. byOrganisation.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
    }

    /// <summary>Counts today's snapshot now, instead of waiting for the hourly look.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.QualityRead);
        await QualitySnapshots.TakeAsync(store, options, clock.GetUtcNow(), ct);
        return RedirectToPage();
    }

    /// <summary>The latest snapshot's counts per country, over every organisation.</summary>
    public IEnumerable<QualityCount> ByCountry =>
        (Latest?.Counts ?? []).GroupBy(c => c.Country).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Sum("", g.Key, g));

    /// <summary>Every organisation and country of a snapshot together.</summary>
    public static QualityCount Total(QualitySnapshot snapshot) => Sum("", "", snapshot.Counts);

    private static QualityCount Sum(string organisation, string country, IEnumerable<QualityCount> counts)
    {
        var list = counts.ToList();
        return new(organisation, country, list.Sum(c => c.Cases), list.Sum(c => c.WithFindings),
            Enum.GetValues<QualityRule>().ToDictionary(r => r, r => list.Sum(c => c.ByRule.GetValueOrDefault(r))));
    }
}
