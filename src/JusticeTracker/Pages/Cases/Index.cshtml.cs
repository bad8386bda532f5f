using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages.Cases;

public sealed record CaseRow(Guid Id, string Reference, string Country, string OrganisationId, CaseStatus Status, IReadOnlyList<TrackProgress> Tracks, int OpenBarrierCount, DateTimeOffset LastActivityAt);

/// <summary>The cases a person may see: searched, filtered, sorted and paged in the database.</summary>
public sealed class IndexModel(IQuerySession session, TimeProvider clock) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Reference { get; set; }
    [BindProperty(SupportsGet = true)] public string? Country { get; set; }
    [BindProperty(SupportsGet = true)] public string? Organisation { get; set; }
    [BindProperty(SupportsGet = true)] public Stage? Stage { get; set; }
    [BindProperty(SupportsGet = true)] public CaseStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public bool OpenBarriers { get; set; }
    [BindProperty(SupportsGet = true)] public int? QuietDays { get; set; }
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "activity";
    [BindProperty(SupportsGet = true)] public bool Descending { get; set; } = true;

    public IReadOnlyList<CaseRow> Rows { get; private set; } = [];
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];
    public IReadOnlyList<string> Countries { get; private set; } = [];
    public CurrentUser Me { get; private set; } = null!;
    public long Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int PageCount { get; private set; } = 1;

    public string NameOf(string organisationId) => Organisations.FirstOrDefault(o => o.Id == organisationId)?.Name ?? organisationId;

    public async Task OnGetAsync(int pageNumber = 1, CancellationToken ct = default)
    {
        HttpContext.Action(AuditActions.CaseList);
        Me = CurrentUser.From(User);
        Organisations = await session.Query<Organisation>().OrderBy(o => o.Name).ToListAsync(ct);
        var cases = session.Query<Case>().VisibleTo(Me);
        if (Me.SeesOnly is { } mine)
        {
            Organisations = [.. Organisations.Where(o => o.Id == mine)];
        }

        Countries = [.. Organisations.Select(o => o.Country).Distinct().Order()];
        cases = Filter(cases);
        Total = await cases.CountAsync(ct);
        PageCount = (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(pageNumber, 1, PageCount);
        Rows = await Sorted(cases)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)
            .Select(c => new CaseRow(c.Id, c.Reference, c.Country, c.OrganisationId, c.Status, c.Tracks, c.OpenBarrierCount, c.LastActivityAt))
            .ToListAsync(ct);
    }

    private IQueryable<Case> Filter(IQueryable<Case> cases)
    {
        if (!string.IsNullOrWhiteSpace(Reference))
        {
            var prefix = Reference.Trim().ToUpperInvariant();
            cases = cases.Where(c => c.Reference.StartsWith(prefix));
        }

        if (!string.IsNullOrWhiteSpace(Country))
        {
            var country = Country.Trim().ToUpperInvariant();
            cases = cases.Where(c => c.Country == country);
        }

        if (!string.IsNullOrWhiteSpace(Organisation) && Me.IsLegalExpert)
        {
            var organisation = Organisation;
            cases = cases.Where(c => c.OrganisationId == organisation);
        }

        if (Stage is { } stage)
        {
            cases = cases.Where(c => c.Tracks.Any(t => t.Stage == stage));
        }

        if (Status is { } status)
        {
            cases = cases.Where(c => c.Status == status);
        }

        if (OpenBarriers)
        {
            cases = cases.Where(c => c.OpenBarrierCount > 0);
        }

        if (QuietDays is > 0 and var days)
        {
            var since = clock.GetUtcNow().AddDays(-days);
            cases = cases.Where(c => c.LastActivityAt <= since);
        }

        return cases;
    }

    private IQueryable<Case> Sorted(IQueryable<Case> cases) => (Sort, Descending) switch
    {
        ("reference", false) => cases.OrderBy(c => c.Reference),
        ("reference", true) => cases.OrderByDescending(c => c.Reference),
        ("country", false) => cases.OrderBy(c => c.Country).ThenBy(c => c.Reference),
        ("country", true) => cases.OrderByDescending(c => c.Country).ThenBy(c => c.Reference),
        ("barriers", false) => cases.OrderBy(c => c.OpenBarrierCount).ThenBy(c => c.Reference),
        ("barriers", true) => cases.OrderByDescending(c => c.OpenBarrierCount).ThenBy(c => c.Reference),
        (_, false) => cases.OrderBy(c => c.LastActivityAt).ThenBy(c => c.Reference),
        _ => cases.OrderByDescending(c => c.LastActivityAt).ThenByDescending(c => c.Reference),
    };

    /// <summary>The link that sorts by a column: the same filters, this column, the other direction if it is already sorted by it.</summary>
    public Dictionary<string, string> SortLink(string column)
    {
        var query = Request.Query.Where(q => q.Key is not ("sort" or "descending" or "pageNumber")).ToDictionary(q => q.Key, q => q.Value.ToString());
        query["sort"] = column;
        query["descending"] = (Sort == column ? !Descending : column == "activity").ToString();
        return query;
    }

    public string? AriaSort(string column) => Sort == column ? (Descending ? "descending" : "ascending") : null;
}
