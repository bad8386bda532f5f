using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.FollowUps;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages.FollowUps;

/// <summary>"My follow-ups": what is due and overdue on the cases the user may see, the most urgent first.</summary>
public sealed class IndexModel(IQuerySession session, TimeProvider clock) : PageModel
{
    private const int PageSize = 50;

    public FollowUpList List { get; private set; } = new([], 0, 0, 1, PageSize);

    public DateOnly Today { get; private set; }

    public CurrentUser Me { get; private set; } = null!;

    public string? Country { get; private set; }

    public IReadOnlyList<string> Countries { get; private set; } = [];

    public int PageCount => Math.Max(1, (List.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(string? country, int? pageNumber, CancellationToken ct)
    {
        HttpContext.Action(AuditActions.CaseList);
        Me = CurrentUser.From(User);
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Country = Me.IsLegalExpert && country is { Length: 2 } ? country.ToUpperInvariant() : null;
        if (Me.IsLegalExpert)
        {
            Countries = [.. (await session.Query<FollowUpView>().Select(v => v.Country).Distinct().ToListAsync(ct)).Order(StringComparer.Ordinal)];
        }

        List = await FollowUpQueries.ListAsync(session, Me, Today, Country, Math.Max(1, pageNumber ?? 1), PageSize, ct);
        if (List.Page > PageCount)
        {
            List = await FollowUpQueries.ListAsync(session, Me, Today, Country, PageCount, PageSize, ct);
        }
    }
}
