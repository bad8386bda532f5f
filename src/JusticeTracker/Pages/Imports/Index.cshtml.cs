using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Imports;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Imports;

/// <summary>Uploading a sheet, the templates, and the organisation's imports so far.</summary>
[RequestSizeLimit(IndexModel.HardLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = IndexModel.HardLimit)]
public sealed class IndexModel(IDocumentSession session, ImportOptions options, PersonalDataCheck personalData, ImportVocabulary vocabulary, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 20;

    /// <summary>Far above any sheet the import takes, so a larger upload is cut off before it fills the disk; the configured limit answers in words.</summary>
    public const long HardLimit = 100 * 1024 * 1024;

    [BindProperty(SupportsGet = true)]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public ImportLayout Layout { get; set; } = ImportLayout.CasePerRow;

    [BindProperty]
    public string? OrganisationId { get; set; }

    public CurrentUser Me { get; private set; } = null!;

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public IReadOnlyList<ImportBatch> Batches { get; private set; } = [];

    public int PageCount { get; private set; } = 1;

    public long MaxMegabytes => options.MaxBytes / (1024 * 1024);

    public int MaxRows => options.MaxRows;

    public async Task OnGetAsync(CancellationToken ct) => await PrepareAsync(ct);

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        await PrepareAsync(ct);
        var organisationId = Me.IsLegalExpert ? OrganisationId : Me.OrganisationId;
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", l["Choose the file to upload."]);
        }

        if (!Enum.IsDefined(Layout))
        {
            ModelState.AddModelError(nameof(Layout), l["Choose how the sheet is laid out."]);
        }

        if (Organisations.FirstOrDefault(o => o.Id == organisationId) is not { Active: true })
        {
            ModelState.AddModelError(nameof(OrganisationId), Me.IsLegalExpert ? l["Choose an active member organisation."] : l["Your organisation is not active in the tracker. Ask an administrator."]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        HttpContext.Action(AuditActions.ImportUpload);
        await using var stream = file!.OpenReadStream();
        var uploaded = await Upload.StageAsync(stream, file.FileName, Layout, organisationId!, Me.UserId, session, options, personalData, vocabulary, clock.GetUtcNow(), ct);
        if (uploaded.Existing is { } existing && uploaded.Problem is { } repeated)
        {
            TempData["Message"] = l.Text(repeated);
            return Redirect($"/imports/{existing}");
        }

        if (uploaded.Problem is { } problem)
        {
            ModelState.AddModelError("file", l.Text(problem));
            return Page();
        }

        return Redirect($"/imports/{uploaded.BatchId}");
    }

    /// <summary>A template in the reader's language.</summary>
    public IActionResult OnGetTemplate(ImportLayout layout, SheetFormat format)
    {
        if (!Enum.IsDefined(layout) || !Enum.IsDefined(format))
        {
            return NotFound();
        }

        var (bytes, contentType, name) = Templates.Write(layout, format, l);
        return File(bytes, contentType, name);
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        Me = CurrentUser.From(User);
        Organisations = await session.Query<Organisation>().OrderBy(o => o.Name).ToListAsync(ct);
        OrganisationId ??= Me.OrganisationId;
        var batches = Me.IsLegalExpert ? session.Query<ImportBatch>() : session.Query<ImportBatch>().Where(b => b.OrganisationId == Me.OrganisationId);
        var total = await batches.CountAsync(ct);
        PageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Batches = await batches.OrderByDescending(b => b.UploadedAt).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
    }

    public string OrganisationName(string id) => Organisations.FirstOrDefault(o => o.Id == id)?.Name ?? id;
}
