using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reviewing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Reviews;

/// <summary>
/// "Notes to review", for legal experts: every text the personal-data check found possibly
/// personal, across cases, the oldest first. Each is kept as written or removed for good.
/// </summary>
public sealed class IndexModel(IQuerySession session, IStringLocalizer<SharedResource> l) : PageModel
{
    private const int PageSize = 50;

    public ReviewList List { get; private set; } = new([], 0, 1, PageSize);

    public int PageCount => Math.Max(1, (List.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(int? pageNumber, CancellationToken ct) => await ShowAsync(pageNumber, ct);

    /// <summary>Accepts or removes one text, then comes back to the same page of the queue with a confirmation.</summary>
    public async Task<IActionResult> OnPostDecideAsync(
        Guid caseId, Guid reviewId, ReviewDecision? decision, int? pageNumber,
        [FromServices] IDocumentSession documents, [FromServices] TimeProvider clock, CancellationToken ct)
    {
        if (decision is null)
        {
            ModelState.AddModelError("", l["Choose whether to accept or to remove the text."]);
            await ShowAsync(pageNumber, ct);
            return Page();
        }

        var back = pageNumber is > 1 ? $"/reviews?pageNumber={pageNumber}" : "/reviews";
        var result = await ReviewNoteEndpoint.ExecuteAsync(caseId, reviewId, new ReviewNote(decision.Value), HttpContext, documents, clock, ct);
        switch (result.Ending)
        {
            case Ending.Done or Ending.Repeated:
                TempData["Message"] = (result.Outcome(reviewId), result.Ending == Ending.Repeated) switch
                {
                    (ReviewOutcome.Redacted, false) => l["The text was removed from the tracker. The case now shows that a legal expert removed it."].Value,
                    (ReviewOutcome.Accepted, false) => l["The text was accepted. It stays on the case as written."].Value,
                    _ => l["This text was already reviewed. Nothing was changed."].Value,
                };
                return Redirect(back);
            case Ending.Conflict:
                TempData["Message"] = string.Join(" ", result.Problems.Select(l.Text));
                return Redirect(back);
            case Ending.Refused:
                ModelState.AddProblems(l, result.Problems, _ => "");
                await ShowAsync(pageNumber, ct);
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task ShowAsync(int? pageNumber, CancellationToken ct)
    {
        HttpContext.Action(AuditActions.NoteReviewList);
        var me = CurrentUser.From(User);
        List = await ReviewQueue.ListAsync(session, me, Math.Max(1, pageNumber ?? 1), PageSize, ct);
        if (List.Page > PageCount)
        {
            List = await ReviewQueue.ListAsync(session, me, PageCount, PageSize, ct);
        }
    }
}
