using JusticeTracker.Access;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Pathways;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Cases.Recording;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Cases;

/// <summary>
/// Records one entry on a case: choose the kind on the case page, fill in this form. If someone
/// else changed the case meanwhile, the form comes back with what changed and everything typed,
/// ready to be sent again in one step.
/// </summary>
public sealed class RecordModel(IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public EntryForm Form { get; set; } = new();

    public Case Case { get; private set; } = null!;

    /// <summary>Entries recorded by others since the form was opened, when that is why it came back.</summary>
    public IReadOnlyList<TimelineEntry> ChangedMeanwhile { get; private set; } = [];

    public CaseSummary Summary => CaseSummary.Of(Case);

    /// <summary>Whether the form asks which claim the entry answers: a decision or a payment, on a case that lists its claims.</summary>
    public bool AnswersClaim => EntryKinds.Named(Form.Kind)?.Type.IsAssignableTo(typeof(IClaimAnswer)) == true && Case.Claims.Count > 0;

    /// <summary>The claim the form offers first: the one named, or the earliest the entry could answer.</summary>
    public Guid? SuggestedClaim => Form.Claim ?? Case.Claims.Find(c => Form.Kind == nameof(CompensationPaid) ? c.Outcome == ClaimOutcome.Awarded : c.Outcome is null)?.Id;

    /// <summary>The step of the country's pathway the entry records, if it was chosen from those.</summary>
    public LocalStage? Local => Pathways.Named(Form.LocalStage);

    /// <summary>Opened without a kind (or with one that is not on the form): the page offers the list to choose from.</summary>
    public bool ChoosingKind => EntryKinds.Named(Form.Kind) is not { OnRecordForm: true };

    public IEnumerable<TimelineEntry> Retractable => Timeline.Entries.Where(e => e.Standing && e.Details is not EntryRetracted);

    /// <summary>The case's entries, from their documents: the form offers those that stand for retraction.</summary>
    public CaseTimeline Timeline { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid caseId, string? kind, Guid? corrects, Guid? target, CancellationToken ct)
    {
        if (!await Load(caseId, ct))
        {
            return NotFound();
        }

        Form = corrects is { } id && Timeline.Entries.FirstOrDefault(e => e.EntryId == id) is { Standing: true } original
            ? EntryForm.Correcting(original.Details, Case.Version)
            : new EntryForm { Kind = kind ?? "", Version = Case.Version, Target = target, Occurred = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime) };

        // A step of the country's own pathway is recorded as the common step it maps to, with the value it fixes.
        if (Pathways.Of(Case.Country)?.Stages.FirstOrDefault(s => s.Code == kind && !s.Retired) is { } local)
        {
            (Form.Kind, Form.LocalStage, Form.Choice) = (local.Step, local.Code, local.Choice);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid caseId, CancellationToken ct)
    {
        // A value the form could not bind (a code that is not on the list) has already been given
        // its message beside the field; the property kept its default, which must not be recorded.
        if (!ModelState.IsValid)
        {
            return await Refuse(caseId, [], ct);
        }

        var problems = new Problems();
        var details = Form.ToDetails(problems);
        if (details is null)
        {
            return await Refuse(caseId, problems.ToList(), ct);
        }

        var command = new RecordEntry(Form.CommandId, Form.Version, new FuzzyDate(Form.Occurred!.Value, Form.Precision), details, Form.Note, Form.Corrects, Form.CorrectionReason, Form.LocalStage);
        var result = await RecordEntryEndpoint.ExecuteAsync(caseId, command, HttpContext, session, clock, personalData, ct);
        switch (result.Ending)
        {
            case Ending.Done:
                TempData["Message"] = result.HeldForReview().Count == 0
                    ? l["Entry recorded."].Value
                    : l["Entry recorded. A legal expert will review its text, which may contain personal data; until then the case shows it as awaiting review."].Value;
                return Redirect($"/cases/{caseId}");
            case Ending.Repeated:
                TempData["Message"] = l["This entry was already recorded; it was not added twice."].Value;
                return Redirect($"/cases/{caseId}");
            case Ending.Stale:
                // Show what others recorded since, keep everything typed, and let the person send it
                // again against the version they have now seen.
                Case = result.State!;
                Timeline = await CaseTimeline.LoadAsync(session, Case, ct);
                ChangedMeanwhile = [.. Timeline.Entries.Where(e => e.Position > Form.Version)];
                Form.Version = Case.Version;
                return Page();
            case Ending.Refused or Ending.Conflict:
                return await Refuse(caseId, result.Problems, ct);
            default:
                return NotFound();
        }
    }

    private async Task<IActionResult> Refuse(Guid caseId, IReadOnlyList<Problem> problems, CancellationToken ct)
    {
        if (!await Load(caseId, ct))
        {
            return NotFound();
        }

        ModelState.AddProblems(l, problems, field => field.StartsWith("Form.", StringComparison.Ordinal) ? field : FormField(field));
        return Page();
    }

    /// <summary>Where a problem the decision names (in the API's terms) shows on this form.</summary>
    private static string FormField(string field) => field switch
    {
        "occurred" => "Form.Occurred",
        "note" => "Form.Note",
        "correctionReason" => "Form.CorrectionReason",
        "corrects" => "Form.Corrects",
        "details.amount" or "details.amount.amount" or "details.claimed.amount" => "Form.Amount",
        "details.amount.currency" or "details.claimed.currency" => "Form.Currency",
        "details.claim" => "Form.Claim",
        "details.proceeding" => "Form.Proceeding",
        "details.blockedStage" => "Form.Stage",
        "details.reason" => "Form.Choice",
        "details.barrierId" or "details.retractedEntryId" => "Form.Target",
        "details.measures" => "Form.Measures",
        "details.interviews" => "Form.Interviews",
        "details.expires" => "Form.Expires",
        "details.offender" => "Form.Offender",
        "details.convictedOf" => "Form.ConvictedOf",
        "details.length" => "Form.Length",
        "localStage" => "Form.LocalStage",
        _ => "Form.Kind",
    };

    private async Task<bool> Load(Guid caseId, CancellationToken ct)
    {
        if (await session.LoadVisibleAsync(HttpContext, caseId, AuditActions.CaseRead, ct) is not { } found)
        {
            return false;
        }

        Case = found;
        Timeline = await CaseTimeline.LoadAsync(session, found, ct);
        return true;
    }
}
