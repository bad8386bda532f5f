using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Admin;

/// <summary>Administrators add people to organisations, move them, and remove them.</summary>
public sealed class MembersModel(IDocumentSession session, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 25;

    public IReadOnlyList<Membership> Members { get; private set; } = [];

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Organisation { get; set; }

    public int PageNumber { get; private set; } = 1;

    public string Typed(string field) => DirectoryForm.Typed(this, field);

    public int PageCount { get; private set; } = 1;

    public string NameOf(string organisationId) => Organisations.FirstOrDefault(o => o.Id == organisationId)?.Name ?? organisationId;

    public async Task OnGetAsync(int pageNumber = 1, CancellationToken ct = default)
    {
        Organisations = await session.Query<Organisation>().OrderBy(o => o.Name).ToListAsync(ct);
        IQueryable<Membership> members = session.Query<Membership>();
        if (!string.IsNullOrEmpty(Organisation))
        {
            var organisation = Organisation;
            members = members.Where(m => m.OrganisationId == organisation);
        }

        var total = await members.CountAsync(ct);
        PageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(pageNumber, 1, PageCount);
        Members = await members.OrderBy(m => m.Email).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
    }

    public Task<IActionResult> OnPostAddAsync(string objectId, string email, string organisationId, CancellationToken ct) =>
        Execute(new AddMember(objectId, email, organisationId), l["Person added. They can work on the organisation's cases from their next page."], ct);

    public Task<IActionResult> OnPostMoveAsync(string objectId, string toOrganisationId, CancellationToken ct) =>
        Execute(new MoveMember(objectId, toOrganisationId), l["Person moved. From their next page they see only the new organisation's cases."], ct);

    public Task<IActionResult> OnPostRemoveAsync(string objectId, CancellationToken ct) =>
        Execute(new RemoveMember(objectId), l["Person removed. From their next page they see no case."], ct);

    private async Task<IActionResult> Execute(DirectoryCommand command, LocalizedString confirmation, CancellationToken ct)
    {
        var result = await this.ExecuteAsync(session, clock, l, command, ct);
        if (result.Ending != Ending.Done)
        {
            await OnGetAsync(1, ct);
            return Page();
        }

        TempData["Message"] = confirmation.Value;
        return RedirectToPage(new { Organisation });
    }
}
