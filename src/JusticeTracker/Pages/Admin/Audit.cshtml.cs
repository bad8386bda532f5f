using System.Globalization;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Admin;

/// <summary>Administrators filter and page through the audit log, and export it as CSV.</summary>
public sealed class AuditModel(AuditLog log, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The most rows one export holds; narrow the filter for more.</summary>
    public const int ExportLimit = 100_000;

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? CaseReference { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    /// <summary>Part of a statistics filter, e.g. <c>place=KE</c>: the reads whose filter contains it.</summary>
    [BindProperty(SupportsGet = true)]
    public string? StatisticsFilter { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>The actions an administrator can filter on: codes, as the log keeps them and the query string carries them.</summary>
    public static readonly string[] Actions =
    [
        AuditActions.CaseRead, AuditActions.CaseChange, AuditActions.CaseOpen, AuditActions.CaseList, AuditActions.CaseErase, "denied",
        AuditActions.SignIn, AuditActions.SignOut, AuditActions.DirectoryChange, AuditActions.AuditRead, AuditActions.AuditExport,
        AuditActions.StatisticsRead, AuditActions.StatisticsExport, AuditActions.StatisticsBudgetExceeded, "request",
    ];

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public long Total { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public int PageCount { get; private set; } = 1;

    private AuditFilter Filter => new(UserId, CaseReference, Action, From, To, StatisticsFilter);

    /// <summary>An action's name in the reader's language; an action without one shows its code.</summary>
    public string ActionLabel(string action) => Label("AuditAction", action);

    /// <summary>The roles of the person, in the reader's language.</summary>
    public string RolesLabel(string? roles) =>
        string.Join(", ", (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => Label(nameof(UserRole), r)));

    /// <summary>The detail code of an entry (the reason of an erasure), in the reader's language where it has a label.</summary>
    public string? DetailLabel(AuditEntry entry) =>
        entry.Detail is not null && entry.Action == AuditActions.CaseErase ? Label(nameof(ErasureReason), entry.Detail) : entry.Detail;

    private string Label(string prefix, string code) => l[$"{prefix}.{code}"] is { ResourceNotFound: false } label ? label.Value : code;

    public async Task OnGetAsync(int pageNumber = 1, CancellationToken ct = default)
    {
        HttpContext.Action(AuditActions.AuditRead);
        PageNumber = Math.Clamp(pageNumber, 1, 1_000_000);
        (Entries, Total) = await log.QueryAsync(Filter, PageNumber, PageSize, ct);
        PageCount = (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.AuditExport);
        var (entries, _) = await log.QueryAsync(Filter, 1, ExportLimit, ct);
        var csv = CsvFile.Write(
            ["at", "user", "roles", "organisation", "action", "method", "route", "status", "case_reference", "client_address", "correlation_id", "detail", "statistics_filter"],
            entries.Select(e => (IReadOnlyList<string?>)
            [
                e.At.ToString("O", CultureInfo.InvariantCulture), e.UserId, e.Roles, e.OrganisationId, e.Action, e.Method, e.Route,
                e.Status.ToString(CultureInfo.InvariantCulture), e.CaseReference, e.ClientAddress, e.CorrelationId, e.Detail, e.StatisticsFilter,
            ]));
        return File(csv, CsvFile.ContentType, $"audit-log-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv");
    }
}
