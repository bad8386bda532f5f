using JusticeTracker.Access;
using JusticeTracker.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace JusticeTracker.Pages;

public sealed class IndexModel(IQuerySession session) : PageModel
{
    public CurrentUser Me { get; private set; } = null!;

    public int VisibleCases { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Me = CurrentUser.From(User);
        if (Me.IsLegalExpert)
        {
            VisibleCases = await session.Query<Case>().CountAsync(ct);
        }
        else if (Me.IsMemberLawyer)
        {
            var organisation = Me.OrganisationId;
            VisibleCases = await session.Query<Case>().CountAsync(c => c.OrganisationId == organisation, ct);
        }
    }
}
