using System.Text;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Hosting;
using Microsoft.Extensions.Localization;
using Wolverine.Http;

namespace JusticeTracker.Statistics;

/// <summary>The analysts' figures as JSON and CSV: the same report as the dashboard, through the same disclosure control.</summary>
public static class StatisticsEndpoints
{
    [WolverineGet("/api/statistics")]
    public static async Task<IResult> GetReport(HttpContext context, Reports reports, FilterBudget budget, CancellationToken ct)
    {
        context.Action(AuditActions.StatisticsRead);
        var read = await budget.ReadAsync(context, ct);
        return read.Refusal ?? Results.Ok(await reports.BuildAsync(read.Filter, ct));
    }

    /// <summary>One table as CSV, with the withheld figures marked, in the user's language.</summary>
    [WolverineGet("/api/statistics/{table}.csv")]
    public static Task<IResult> GetCsv(string table, HttpContext context, Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts, CancellationToken ct) =>
        ExportAsync(context, reports, budget, texts, report => report.Table(table) is { } found
            ? Results.File(Export.Csv(found, texts, report.K), CsvFile.ContentType, $"justicetracker-{found.Id}.csv")
            : Results.NotFound(), ct);

    /// <summary>One chart as an SVG file, drawn from the same published figures as the page.</summary>
    [WolverineGet("/api/statistics/{chart}.svg")]
    public static Task<IResult> GetSvg(string chart, HttpContext context, Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts, CancellationToken ct) =>
        ExportAsync(context, reports, budget, texts, report => Charts.Draw(chart, report, Export.ChartLabels(texts, report.K)) is { } svg
            ? Results.File(Encoding.UTF8.GetBytes(svg), "image/svg+xml", $"justicetracker-{chart}.svg")
            : Results.NotFound(), ct);

    /// <summary>What every export does first: audit it, pass the filter gate, build the report, and refuse a filter too narrow to publish.</summary>
    private static async Task<IResult> ExportAsync(HttpContext context, Reports reports, FilterBudget budget, IStringLocalizer texts, Func<Report, IResult> write, CancellationToken ct)
    {
        context.Action(AuditActions.StatisticsExport);
        var read = await budget.ReadAsync(context, ct);
        if (read.Refusal is not null)
        {
            return read.Refusal;
        }

        var report = await reports.BuildAsync(read.Filter, ct);
        return report.Refusal is not null
            ? Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: texts["These filters are too narrow"].Value, detail: texts["Refusal.Suppressed", report.K].Value)
            : write(report);
    }
}
