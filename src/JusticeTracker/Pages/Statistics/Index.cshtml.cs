using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Statistics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Statistics;

/// <summary>The analysts' dashboard: the report for a filter, every figure after disclosure control.</summary>
public sealed class IndexModel(Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts, TimeProvider clock) : PageModel
{
    public ReportFilter Filter { get; private set; } = new();

    public Dictionary<string, string[]> Problems { get; private set; } = [];

    public Report? Report { get; private set; }

    /// <summary>Every place, year and date a filter may choose: the whole domain, whether or not it has cases.</summary>
    public StatisticsDomain? Domain { get; private set; }

    /// <summary>The query string of the current filter, for the export links.</summary>
    public string Query => Request.QueryString.Value ?? "";

    /// <summary>The current filter as form fields (the brief's form repeats it), in the order the audit log writes it.</summary>
    public IEnumerable<(string Name, string Value)> FilterFields =>
        FilterBudget.Key(Filter).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Select(f => (f[0], f[1]));

    public async Task OnGetAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.StatisticsRead);
        await LoadAsync(ct);
    }

    /// <summary>
    /// The country brief of the current filter, in the language chosen (<c>culture</c>). A brief
    /// always names its "as of" date, so that its permalink gives the same figures again: without
    /// one, the request goes first to the same address with the last permitted date, before any
    /// figure is read. A filter too narrow shows the page with the reason instead of a file.
    /// </summary>
    public async Task<IActionResult> OnGetBriefAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.StatisticsExport);
        if (CountryBrief.Dated(Request.Query, await reports.DomainAsync(ct)) is { } dated)
        {
            return Redirect($"/statistics{dated}");
        }

        await LoadAsync(ct);
        if (Report is { Refusal: null, Filter.AsOf: not null } report)
        {
            return File(CountryBrief.Write(report, CountryBrief.Scope(report, Request, texts, clock.GetUtcNow()), texts), CountryBrief.ContentType, CountryBrief.FileName(report));
        }

        if (Report is not null)
        {
            ModelState.AddModelError(string.Empty, texts["No brief was written: these filters are too narrow for the figures as of that date. Widen them, or choose another date."]);
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Domain = await reports.DomainAsync(ct);
        (Filter, Problems, var overBudget, _) = await budget.ReadAsync(HttpContext, ct);
        foreach (var (field, messages) in Problems)
        {
            ModelState.AddModelError(field, messages[0]);
        }

        if (overBudget is not null)
        {
            ModelState.AddModelError(string.Empty, overBudget);
        }
        else if (Problems.Count == 0)
        {
            Report = await reports.BuildAsync(Filter, ct);
        }
    }
}
