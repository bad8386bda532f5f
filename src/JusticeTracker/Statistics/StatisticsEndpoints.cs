using System.Globalization;
using System.Text;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using Microsoft.Extensions.Localization;
using Wolverine.Http;

namespace JusticeTracker.Statistics;

public static class StatisticsRegistration
{
    public static WebApplicationBuilder AddStatistics(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Disclosure").Get<DisclosureOptions>() ?? new DisclosureOptions();
        if (options.K < 2 || options.Resolution < 1 || options.DominanceShare is <= 0 or > 1 || options.AmountDigits < 1)
        {
            throw new InvalidOperationException("Disclosure:K must be at least 2, Disclosure:Resolution and Disclosure:AmountDigits at least 1, and Disclosure:DominanceShare above 0 and at most 1.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(builder.Configuration.GetSection("Statistics").Get<StatisticsOptions>() ?? new StatisticsOptions());
        builder.Services.AddSingleton(builder.Configuration.GetSection("ExchangeRates").Get<ExchangeRates>() ?? new ExchangeRates());
        builder.Services.AddSingleton<Disclosure>();
        builder.Services.AddSingleton<StatisticsReader>();
        builder.Services.AddSingleton<Reports>();
        builder.AddFilterBudget();
        return builder;
    }
}

/// <summary>
/// Reads a report filter from a query string, naming each field that is not understood, in the
/// reader's language. Only values of the domain are accepted: a listed place or year, and a
/// permitted "as of" date; the same lists the page offers.
/// </summary>
public static class ReportFilters
{
    public static (ReportFilter Filter, Dictionary<string, string[]> Problems) Parse(IQueryCollection query, StatisticsDomain domain, IStringLocalizer texts)
    {
        var problems = new Dictionary<string, string[]>();
        string? Text(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value.Trim() : null;
        T? Enum<T>(string name) where T : struct, Enum
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && char.IsAsciiLetter(text[0]) && !text.Contains(',', StringComparison.Ordinal))
            {
                return value;
            }

            problems[name] = [texts["Choose a value from the list."].Value];
            return null;
        }

        var place = Text("place")?.ToUpperInvariant();
        if (place is not null && domain.PlaceIndex(place) is null)
        {
            problems["place"] = [texts["Choose a place from the list: a member country or its UN region."].Value];
            place = null;
        }

        int? year = null;
        if (Text("year") is { } yearText)
        {
            if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && domain.YearIndex(y) is > 0)
            {
                year = y;
            }
            else
            {
                problems["year"] = [texts["Choose a year from the list, from {0} to {1}.", domain.Years[0], domain.Years[^1]].Value];
            }
        }

        DateOnly? asOf = null;
        if (Text("asOf") is { } asOfText)
        {
            if (DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && domain.IsPermitted(day))
            {
                asOf = day;
            }
            else
            {
                problems["asOf"] = [texts["Choose an \"as of\" date from the list: the last day of a month before this one, written as YYYY-MM-DD."].Value];
            }
        }

        var filter = new ReportFilter(place, year, Enum<AgeBand>("ageBand"), Enum<Sex>("sex"), Enum<ExploitationForm>("form"), asOf);
        return (filter, problems);
    }
}

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
            ? Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv(found, texts, report.K))).ToArray(), "text/csv; charset=utf-8", $"justicetracker-{found.Id}.csv")
            : Results.NotFound(), ct);

    /// <summary>One chart as an SVG file, drawn from the same published figures as the page.</summary>
    [WolverineGet("/api/statistics/{chart}.svg")]
    public static Task<IResult> GetSvg(string chart, HttpContext context, Reports reports, FilterBudget budget, IStringLocalizer<SharedResource> texts, CancellationToken ct) =>
        ExportAsync(context, reports, budget, texts, report => Charts.Draw(chart, report, ChartLabels(texts, report.K)) is { } svg
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

    /// <summary>How charts name rows, columns and withheld figures.</summary>
    public static Func<string, string> ChartLabels(IStringLocalizer texts, int k) =>
        key => key.StartsWith("Withheld.", StringComparison.Ordinal) ? texts[key, k].Value : Label(key, texts);

    /// <summary>RFC 4180 CSV. A withheld figure is written as its reason, never as an empty cell that could be read as zero.</summary>
    public static string Csv(ReportTable table, IStringLocalizer texts, int k)
    {
        static string Field(string text) =>
            text.IndexOfAny([',', '"', '\n', '\r']) >= 0 || text.StartsWith('=') || text.StartsWith('+') || text.StartsWith('-') || text.StartsWith('@')
                ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
                : text;

        var csv = new StringBuilder();
        csv.AppendJoin(',', new[] { texts[table.RowHeader].Value }.Concat(table.Columns.Select(c => texts[c].Value)).Select(Field)).Append("\r\n");
        foreach (var row in table.Rows)
        {
            csv.AppendJoin(',', new[] { Label(row.Label, texts) }.Concat(row.Cells.Select(c => Text(c, texts, k))).Select(Field)).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>A row's label in the reader's language: a country's name, a currency's code, or a text.</summary>
    public static string Label(string key, IStringLocalizer texts) =>
        key.StartsWith("Country.", StringComparison.Ordinal) ? Pages.CountryNames.Of(key["Country.".Length..])
        : key.StartsWith("Total.", StringComparison.Ordinal) ? texts["All currencies, in {0}", key["Total.".Length..]].Value
        : (key.Length == 3 && key.All(char.IsAsciiLetterUpper)) || key.All(char.IsAsciiDigit) ? key
        : texts[key].Value;

    /// <summary>A figure as the CSV writes it: digits without grouping, or the short reason it is withheld, as on the page.</summary>
    public static string Text(Published cell, IStringLocalizer texts, int k) =>
        cell.Value is { } value ? value.ToString("0.##", CultureInfo.InvariantCulture) : texts[$"Withheld.{cell.Reason}.Short", k].Value;
}
