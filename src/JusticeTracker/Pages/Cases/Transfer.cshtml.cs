using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Transferring;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Cases;

/// <summary>What the transfer form posts. The command id is made when the form is shown, so a double submit asks once.</summary>
public sealed class TransferForm
{
    public Guid CommandId { get; set; } = Guid.NewGuid();
    public string? ToOrganisation { get; set; }
    public string? Country { get; set; }
    public TransferReason? Reason { get; set; }
    public ConsentBasis? Basis { get; set; }
    public bool Directly { get; set; }
}

/// <summary>
/// Asks another member organisation to take a case over (ADR 26). The case stays with the sender
/// until the receiver accepts; a legal expert may move it at once.
/// </summary>
public sealed class TransferModel(IDocumentSession session, CurrentDirectory directory, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public TransferForm Form { get; set; } = new();

    public Case Case { get; private set; } = null!;

    public CurrentUser Me { get; private set; } = null!;

    /// <summary>The active member organisations the case may go to: every one but its own.</summary>
    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public IReadOnlyList<(string Code, string Name)> Countries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid caseId, CancellationToken ct) =>
        await LoadAsync(caseId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid caseId, CancellationToken ct)
    {
        var result = await TransferCaseEndpoint.ExecuteAsync(
            caseId, new RequestTransfer(Form.CommandId, Form.ToOrganisation ?? "", Form.Country, Form.Reason, Form.Basis, Form.Directly), HttpContext, session, clock, ct);
        switch (result.Ending)
        {
            case Ending.Done or Ending.Repeated:
                var response = result.Response(Form.CommandId);
                // The directory read at the start of the request, as the case page names organisations.
                var receiver = directory.Known.Organisations.GetValueOrDefault(Form.ToOrganisation ?? "");
                TempData["Message"] = (response.Outcome == nameof(TransferOutcome.Accepted)
                    ? l["Case {0} moved to {1}.", result.State!.Reference, receiver?.Name ?? ""]
                    : l["Transfer of case {0} asked: it stays with you until {1} accepts it.", result.State!.Reference, receiver?.Name ?? ""]).Value;

                // A lawyer whose case moved away can no longer open it.
                return Redirect(response.Outcome == nameof(TransferOutcome.Accepted) && !CurrentUser.From(User).IsLegalExpert ? "/transfers" : $"/cases/{caseId}");
            case Ending.Refused:
                ModelState.AddProblems(l, result.Problems, field => "Form." + char.ToUpperInvariant(field[0]) + field[1..]);
                break;
            case Ending.Conflict:
                ModelState.AddProblems(l, result.Problems, _ => "");
                break;
            default:
                return NotFound();
        }

        return await LoadAsync(caseId, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid caseId, CancellationToken ct)
    {
        if (await session.LoadVisibleAsync(HttpContext, caseId, AuditActions.CaseRead, ct) is not { } found)
        {
            return false;
        }

        Case = found;
        Me = CurrentUser.From(User);
        var all = await session.Query<Organisation>().ToListAsync(ct);
        Organisations = [.. all.Where(o => o.Active && o.Id != found.OrganisationId).OrderBy(o => o.Country, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.CurrentCulture)];
        Countries = CountryList.For(all);
        return true;
    }
}
