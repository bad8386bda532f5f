using System.Text;
using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Audit;
using JusticeTracker.Hosting;
using JusticeTracker.Statistics;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Pages.Figures;

/// <summary>
/// An organisation's own figures: member lawyers see their own organisation's, legal experts choose
/// one. The same tables, charts and downloads as the analysts' page, over that organisation's cases.
/// </summary>
public sealed class IndexModel(IQuerySession session, OrganisationFigures figures, Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Organisation { get; set; }

    public CurrentUser Me { get; private set; } = null!;

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public ReportFilter Filter { get; private set; } = new();

    public StatisticsDomain? Domain { get; private set; }

    public OrganisationReport? Result { get; private set; }

    /// <summary>The smallest number of cases a published figure of the comparison may count.</summary>
    public int K => reports.Disclosure.K;

    /// <summary>The query string of the current organisation and filter, for the download links.</summary>
    public string Query => string.Join('&', new[] { ("organisation", Organisation) }
        .Concat(FilterBudget.Key(Filter).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).Select(f => (f[0], (string?)f[1])))
        .Where(f => f.Item2 is not null).Select(f => $"{f.Item1}={Uri.EscapeDataString(f.Item2!)}"));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        HttpContext.Action(AuditActions.FiguresRead);
        return await LoadAsync(ct) ?? Page();
    }

    /// <summary>One table as CSV, in the reader's language.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? table, CancellationToken ct)
    {
        HttpContext.Action(AuditActions.FiguresExport);
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        var found = Result is null ? null : Tables.FirstOrDefault(t => t.Id == table);
        return found is null ? NotFound() : File(Export.Csv(found, texts, (row, cell) => Text(found, row, cell)), CsvFile.ContentType, $"justicetracker-{Organisation}-{found.Id}.csv");
    }

    /// <summary>One chart as SVG or PNG, drawn from the same figures as the page.</summary>
    public async Task<IActionResult> OnGetChartAsync(string? chart, string? format, CancellationToken ct)
    {
        HttpContext.Action(AuditActions.FiguresExport);
        if (await LoadAsync(ct) is { } refused)
        {
            return refused;
        }

        if (Result is null || chart is null || Charts.Draw(chart, Result.Report, ChartLabels) is not { } svg)
        {
            return NotFound();
        }

        return format == "png"
            ? File(Charts.Png(svg), "image/png", $"justicetracker-{Organisation}-{chart}.png")
            : File(Encoding.UTF8.GetBytes(svg), "image/svg+xml", $"justicetracker-{Organisation}-{chart}.svg");
    }

    /// <summary>The comparison first, then the organisation's own tables.</summary>
    public IEnumerable<ReportTable> Tables => Result is null ? [] : [Result.Comparison, .. Result.Report.Tables];

    /// <summary>
    /// A figure as it reads: a number, or a dash where it cannot be worked out (a share of no
    /// cases). Only the country's and the network's figures in the comparison can be withheld.
    /// </summary>
    public string Text(ReportTable table, int row, Published cell) =>
        cell.Value is { } value ? value.ToString("#,0.##", System.Globalization.CultureInfo.CurrentCulture)
        : table.Id == Result?.Comparison.Id && row > 0 ? texts[$"Withheld.{cell.Reason}.Short", K].Value
        : NotApplicable;

    /// <summary>How charts name rows and columns, and mark a figure that cannot be worked out.</summary>
    public string ChartLabels(string key) => key.StartsWith("Withheld.", StringComparison.Ordinal) ? NotApplicable : Export.Label(key, texts);

    private string NotApplicable => texts["n/a"].Value;

    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        Me = CurrentUser.From(User);
        var choice = await OrganisationChoice.ResolveAsync(session, Me, Organisation, ct);
        Organisations = choice.All;
        if (choice.Refused)
        {
            return Forbid();
        }

        if (choice.Chosen is not { } organisation)
        {
            return NotFound();
        }

        Organisation = organisation.Id;

        Domain = await reports.DomainAsync(ct);

        // The same gate as the analysts' figures: the comparison publishes the network's.
        var read = await budget.ReadAsync(HttpContext, ct);
        Filter = read.Filter with { Place = null, AsOf = null };
        foreach (var (field, messages) in read.Problems)
        {
            ModelState.AddModelError(field, messages[0]);
        }

        if (read.OverBudget is not null)
        {
            ModelState.AddModelError(string.Empty, read.OverBudget);
        }
        else if (read.Problems.Count == 0)
        {
            Result = await figures.BuildAsync(session, organisation, Filter, ct);
        }

        return null;
    }
}
