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

    /// <summary>One chart as a PNG image, rendered on the server from the same SVG.</summary>
    [WolverineGet("/api/statistics/{chart}.png")]
    public static Task<IResult> GetPng(string chart, HttpContext context, Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts, CancellationToken ct) =>
        ExportAsync(context, reports, budget, texts, report => Charts.Draw(chart, report, Export.ChartLabels(texts, report.K)) is { } svg
            ? Results.File(Charts.Png(svg), "image/png", $"justicetracker-{chart}.png")
            : Results.NotFound(), ct);

    /// <summary>
    /// The country brief, a Word document, in the reader's language (or <c>?culture=fr</c>). A brief
    /// always names its "as of" date, so that its permalink gives the same figures again: asked for
    /// without one, it is sent to the address of the last permitted date (the end of last month)
    /// before any figure is read.
    /// </summary>
    [WolverineGet("/api/statistics/brief.docx")]
    public static async Task<IResult> GetBrief(HttpContext context, Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts, TimeProvider clock, CancellationToken ct)
    {
        if (CountryBrief.Dated(context.Request.Query, await reports.DomainAsync(ct)) is { } dated)
        {
            return Results.Redirect($"/api/statistics/brief.docx{dated}");
        }

        return await ExportAsync(context, reports, budget, texts, report =>
        {
            if (report.Filter.AsOf is null)
            {
                // No month end is permitted yet (the first year is the current one): nothing to date a brief by.
                return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: texts["No brief was written: these filters are too narrow for the figures as of that date. Widen them, or choose another date."].Value);
            }

            var scope = CountryBrief.Scope(report, context.Request, texts, clock.GetUtcNow());
            return Results.File(CountryBrief.Write(report, scope, texts), CountryBrief.ContentType, CountryBrief.FileName(report));
        }, ct);
    }

    /// <summary>
    /// The open-data release for a place and a year of opening: every table as CSV in codes, with a
    /// data dictionary (<see cref="OpenData"/>). Like the brief it is always for a permitted month
    /// end, so that the same address gives the same release.
    /// </summary>
    [WolverineGet("/api/statistics/open-data.zip")]
    public static async Task<IResult> GetOpenData(HttpContext context, Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(context.Request.Query["year"]))
        {
            context.Action(AuditActions.StatisticsExport);
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["year"] = [texts["Choose the year the cases were opened: an open-data release covers one year."].Value] });
        }

        if (CountryBrief.Dated(context.Request.Query, await reports.DomainAsync(ct)) is { } dated)
        {
            context.Action(AuditActions.StatisticsExport);
            return Results.Redirect($"/api/statistics/open-data.zip{dated}");
        }

        return await ExportAsync(context, reports, budget, texts, report => report.Filter.AsOf is null
            ? Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: texts["These filters are too narrow"].Value)
            : Results.File(OpenData.Write(report, texts), OpenData.ContentType, OpenData.FileName(report)), ct);
    }

    /// <summary>A place as the reader calls it: a country, a UN region, or the whole network.</summary>
    public static string PlaceName(string? place, IStringLocalizer texts) =>
        place is null ? texts["The whole network"].Value
        : place.All(char.IsAsciiDigit) ? texts[$"Region.{place}"].Value
        : Pages.CountryNames.Of(place);

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
