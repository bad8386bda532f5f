using JusticeTracker.Access;
using JusticeTracker.Cases;
using JusticeTracker.Pages.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages;

/// <summary>The home page: for case workers, their open work, quietest first.</summary>
public sealed class IndexModel(IQuerySession session) : PageModel
{
    public CurrentUser Me { get; private set; } = null!;

    public int VisibleCases { get; private set; }

    public int OpenCases { get; private set; }

    public IReadOnlyList<CaseRow> Quiet { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Me = CurrentUser.From(User);
        if (!Me.DoesCaseWork)
        {
            return;
        }

        var cases = session.Query<Case>().VisibleTo(Me);
        VisibleCases = await cases.CountAsync(ct);
        OpenCases = await cases.CountAsync(c => c.Status == CaseStatus.Open, ct);
        Quiet = await cases.Where(c => c.Status == CaseStatus.Open)
            .OrderBy(c => c.LastActivityAt)
            .Take(10)
            .Select(c => new CaseRow(c.Id, c.Reference, c.Country, c.OrganisationId, c.Status, c.Tracks, c.OpenBarrierCount, c.LastActivityAt))
            .ToListAsync(ct);
    }
}
