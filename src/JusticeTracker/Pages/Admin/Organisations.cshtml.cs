using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Admin;

/// <summary>Administrators register, rename, move and deactivate member organisations.</summary>
public sealed class OrganisationsModel(IDocumentSession session, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 25;

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public int PageNumber { get; private set; } = 1;

    public string Typed(string field) => DirectoryForm.Typed(this, field);

    public int PageCount { get; private set; } = 1;

    public async Task OnGetAsync(int pageNumber = 1, CancellationToken ct = default)
    {
        var total = await session.Query<Organisation>().CountAsync(ct);
        PageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(pageNumber, 1, PageCount);
        Organisations = await session.Query<Organisation>()
            .OrderBy(o => o.Country).ThenBy(o => o.Name)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
    }

    public Task<IActionResult> OnPostRegisterAsync(string name, string country, CancellationToken ct) =>
        Execute(new RegisterOrganisation(name, country), e => l["Organisation \"{0}\" registered.", ((OrganisationRegistered)e).Name], ct);

    public Task<IActionResult> OnPostRenameAsync(string organisationId, string name, CancellationToken ct) =>
        Execute(new RenameOrganisation(organisationId, name), _ => l["Organisation renamed."], ct);

    public Task<IActionResult> OnPostCountryAsync(string organisationId, string country, CancellationToken ct) =>
        Execute(new ChangeOrganisationCountry(organisationId, country), _ => l["Country changed."], ct);

    public Task<IActionResult> OnPostDeactivateAsync(string organisationId, CancellationToken ct) =>
        Execute(new DeactivateOrganisation(organisationId), _ => l["Organisation deactivated. Its members can no longer reach its cases."], ct);

    public Task<IActionResult> OnPostReactivateAsync(string organisationId, CancellationToken ct) =>
        Execute(new ReactivateOrganisation(organisationId), _ => l["Organisation reactivated."], ct);

    private async Task<IActionResult> Execute(DirectoryCommand command, Func<object, LocalizedString> confirmation, CancellationToken ct)
    {
        var result = await this.ExecuteAsync(session, clock, l, command, ct);
        if (result.Ending != Ending.Done)
        {
            await OnGetAsync(1, ct);
            return Page();
        }

        TempData["Message"] = confirmation(result.Events[0]).Value;
        return RedirectToPage();
    }
}
