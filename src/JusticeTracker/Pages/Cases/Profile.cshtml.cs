using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Recording;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Cases;

/// <summary>Corrects the anonymised profile, as an entry with a reason; the case keeps its organisation.</summary>
public sealed class ProfileModel(IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public OpenCaseForm Form { get; set; } = new();

    [BindProperty]
    public long Version { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public Case Case { get; private set; } = null!;

    public IReadOnlyList<(string Code, string Name)> Countries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid caseId, CancellationToken ct)
    {
        if (!await Load(caseId, ct))
        {
            return NotFound();
        }

        var p = Case.Profile;
        Version = Case.Version;
        Form = new OpenCaseForm
        {
            Country = p.Country,
            ExploitationBegan = p.ExploitationBegan.Date,
            ExploitationPrecision = p.ExploitationBegan.Precision,
            AgeBand = p.AgeBand,
            Sex = p.Sex,
            Forms = [.. p.Forms],
            OnlineFacilitated = p.OnlineFacilitated,
            CrossBorder = p.CrossBorder,
            ForeignOffender = p.ForeignOffender,
            Disability = p.Disability,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid caseId, CancellationToken ct)
    {
        if (!await Load(caseId, ct))
        {
            return NotFound();
        }

        // A code the form could not bind is shown beside its field, and its default is not recorded.
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var profile = Case.Profile with
        {
            Country = Form.Country?.Trim().ToUpperInvariant() ?? "",
            ExploitationBegan = Form.ExploitationBegan is { } began ? FuzzyDate.Of(began, Form.ExploitationPrecision) : null!,
            AgeBand = Form.AgeBand ?? Case.Profile.AgeBand,
            Sex = Form.Sex ?? Case.Profile.Sex,
            Forms = Form.Forms,
            OnlineFacilitated = Form.OnlineFacilitated,
            CrossBorder = Form.CrossBorder,
            ForeignOffender = Form.ForeignOffender,
            Disability = Form.Disability,
        };
        var today = FuzzyDate.Of(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), DatePrecision.Day);
        var command = new RecordEntry(Form.CommandId, Version, today, new ProfileCorrected(profile), Reason);
        var result = await RecordEntryEndpoint.ExecuteAsync(caseId, command, HttpContext, session, clock, personalData, ct);
        switch (result.Ending)
        {
            case Ending.Done or Ending.Repeated:
                TempData["Message"] = l["Profile corrected."].Value
                    + (result.HeldForReview().Count > 0 ? " " + l["A legal expert will review the note: it may contain personal data."].Value : "");
                return Redirect($"/cases/{caseId}");
            case Ending.Stale:
                Case = result.State!;
                Version = Case.Version;
                ModelState.AddModelError("", l["Someone else changed this case while you were filling in this form."]);
                return Page();
            case Ending.Refused or Ending.Conflict:
                ModelState.AddProblems(l, result.Problems, field => field switch
                {
                    "note" => "Reason",
                    _ when field.StartsWith("details.profile.", StringComparison.Ordinal) => "Form." + char.ToUpperInvariant(field["details.profile.".Length]) + field[("details.profile.".Length + 1)..],
                    _ => "",
                });
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
        Countries = CountryList.For(await session.Query<Organisation>().ToListAsync(ct));
        return true;
    }
}
