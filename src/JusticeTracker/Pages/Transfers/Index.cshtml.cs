using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Transferring;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Transfers;

/// <summary>
/// Transfers waiting for an answer: those asked of the user's organisation, which it accepts or
/// declines without seeing the case first (only its reference, who asks, why and on what basis),
/// and those it asked of others, which it may withdraw. Legal experts see every waiting one.
/// </summary>
public sealed class IndexModel(IDocumentSession session, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public IReadOnlyList<WaitingTransfer> Incoming { get; private set; } = [];

    public IReadOnlyList<WaitingTransfer> Outgoing { get; private set; } = [];

    public CurrentUser Me { get; private set; } = null!;

    private Dictionary<string, Organisation> organisations = [];

    public string NameOf(string organisationId) => organisations.TryGetValue(organisationId, out var o) ? o.Name : organisationId;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Accepts, declines or withdraws one request; the case page's withdraw button posts here too.</summary>
    public async Task<IActionResult> OnPostAsync(Guid caseId, Guid transferId, TransferAnswer answer, CancellationToken ct)
    {
        var result = await TransferCaseEndpoint.ExecuteAsync(caseId, transferId, new AnswerTransfer(answer), HttpContext, session, clock, ct);
        switch (result.Ending)
        {
            case Ending.Done or Ending.Repeated:
                var reference = result.State!.Reference;
                TempData["Message"] = (answer switch
                {
                    TransferAnswer.Accept => l["Case {0} is now your organisation's, with its whole history.", reference],
                    TransferAnswer.Decline => l["Transfer of case {0} declined: it stays where it was.", reference],
                    _ => l["Transfer of case {0} withdrawn.", reference],
                }).Value;
                return Redirect(answer != TransferAnswer.Decline && CurrentUser.From(User).CanSee(result.CaseAfterwards()) ? $"/cases/{caseId}" : "/transfers");
            case Ending.NotFound:
                return NotFound();
            default:
                ModelState.AddProblems(l, result.Problems, _ => "");
                await LoadAsync(ct);
                return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.CaseList);
        Me = CurrentUser.From(User);
        (Incoming, Outgoing) = await TransferQueries.WaitingAsync(session, Me, ct);
        organisations = (await session.Query<Organisation>().ToListAsync(ct)).ToDictionary(o => o.Id, StringComparer.Ordinal);
    }
}
