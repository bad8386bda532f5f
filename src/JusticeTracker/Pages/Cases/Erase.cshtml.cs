using JusticeTracker.Access;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Cases;

/// <summary>
/// Erases a case when consent is withdrawn, for legal experts only. The page asks for the reason
/// category and a plain confirmation, and sends the version the expert looked at, so a case is
/// never erased on the strength of an outdated view.
/// </summary>
public sealed class EraseModel(IDocumentSession session, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public long Version { get; set; }

    [BindProperty]
    public ErasureReason? Reason { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    public Case Case { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid caseId, CancellationToken ct)
    {
        if (!await Load(caseId, ct))
        {
            return NotFound();
        }

        Version = Case.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid caseId, CancellationToken ct)
    {
        if (Reason is null)
        {
            ModelState.AddModelError(nameof(Reason), l["Choose why the case is erased."]);
        }

        if (!Confirmed)
        {
            ModelState.AddModelError(nameof(Confirmed), l["Tick the box to confirm that the case is to be erased for good."]);
        }

        if (!ModelState.IsValid)
        {
            // The form again with its problems, keeping the version the expert saw.
            return await Load(caseId, ct) ? Page() : NotFound();
        }

        var result = await EraseCaseEndpoint.ExecuteAsync(caseId, new EraseCase(Reason!.Value, Version), HttpContext, session, clock, ct);
        switch (result.Ending)
        {
            case Ending.Done:
                TempData["Message"] = l["Case {0} erased. Only the audit log keeps a line that it was.", result.State!.Reference].Value;
                return Redirect("/cases");
            case Ending.Stale:
                Case = result.State!;
                Version = Case.Version;
                Confirmed = false;
                ModelState.Clear();
                ModelState.AddModelError("", l["Someone changed this case since you opened this page. Nothing was erased. Look at the case again, then confirm."]);
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task<bool> Load(Guid caseId, CancellationToken ct)
    {
        if (await session.LoadVisibleAsync(HttpContext, caseId, AuditActions.CaseRead, ct) is not { } found)
        {
            return false;
        }

        Case = found;
        return true;
    }
}
