using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Cases;

/// <summary>Countries where the network works first, then every other ISO 3166 country, with names in the reader's language where the runtime knows them.</summary>
public static class CountryList
{
    public static IReadOnlyList<(string Code, string Name)> For(IEnumerable<Organisation> organisations)
    {
        var network = organisations.Select(o => o.Country).Distinct().Order().ToList();
        return [.. network.Concat(IsoCodes.Countries.Except(network).Order()).Select(code => (code, CountryNames.Of(code)))];
    }
}

/// <summary>What the open-case form posts. The command id is made when the form is shown, so a double submit opens one case.</summary>
public sealed class OpenCaseForm
{
    public Guid CommandId { get; set; } = Guid.NewGuid();
    public string? Country { get; set; }
    public string? OrganisationId { get; set; }
    public DateOnly? ExploitationBegan { get; set; }
    public DatePrecision ExploitationPrecision { get; set; } = DatePrecision.Month;
    public AgeBand? AgeBand { get; set; }
    public Sex? Sex { get; set; }
    public List<ExploitationForm> Forms { get; set; } = [];
    public YesNoUnknown OnlineFacilitated { get; set; } = YesNoUnknown.Unknown;
    public YesNoUnknown CrossBorder { get; set; } = YesNoUnknown.Unknown;
    public YesNoUnknown ForeignOffender { get; set; } = YesNoUnknown.Unknown;
    public YesNoUnknown Disability { get; set; } = YesNoUnknown.Unknown;
}

public sealed class OpenModel(IDocumentSession session, TimeProvider clock, ReferenceSource references, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public OpenCaseForm Form { get; set; } = new();

    public CurrentUser Me { get; private set; } = null!;

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    /// <summary>Countries where the network works first, then every other ISO 3166 country.</summary>
    public IReadOnlyList<(string Code, string Name)> Countries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await Prepare(ct);
        Form.Country ??= Organisations.FirstOrDefault(o => o.Id == Me.OrganisationId)?.Country;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await Prepare(ct);
        var command = new OpenCase(
            Form.CommandId,
            Form.Country ?? "",
            Form.OrganisationId,
            Form.ExploitationBegan is { } began ? new FuzzyDate(began, Form.ExploitationPrecision) : null!,
            Form.AgeBand ?? default,
            Form.Sex ?? default,
            Form.Forms,
            Form.OnlineFacilitated,
            Form.CrossBorder,
            Form.ForeignOffender,
            Form.Disability);
        if (Form.AgeBand is null)
        {
            ModelState.AddModelError("Form.AgeBand", l["Choose the age band when the exploitation began."]);
        }

        if (Form.Sex is null)
        {
            ModelState.AddModelError("Form.Sex", l["Choose the child's sex, or another/undisclosed."]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await OpenCaseEndpoint.ExecuteAsync(command, HttpContext, session, clock, references, ct);
        switch (result.Ending)
        {
            case Ending.Done or Ending.Repeated:
                var (caseId, reference) = result.Opened();
                TempData["Message"] = (result.Ending == Ending.Done ? l["Case {0} opened.", reference] : l["Case {0} was already opened by this form.", reference]).Value;
                return Redirect($"/cases/{caseId}");
            case Ending.Refused:
                ModelState.AddProblems(l, result.Problems, field => "Form." + char.ToUpperInvariant(field[0]) + field[1..]);
                break;
            case Ending.Conflict:
                Form.CommandId = Guid.NewGuid();
                ModelState.AddModelError("", l["This form was already used. Check the details and submit again."]);
                break;
        }

        return Page();
    }

    private async Task Prepare(CancellationToken ct)
    {
        Me = CurrentUser.From(User);
        Organisations = await session.Query<Organisation>().Where(o => o.Active).OrderBy(o => o.Name).ToListAsync(ct);
        Countries = CountryList.For(Organisations);
    }
}
