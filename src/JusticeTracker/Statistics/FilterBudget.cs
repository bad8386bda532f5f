using System.Globalization;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace JusticeTracker.Statistics;

/// <summary>The daily budget of distinct filters (section <c>Statistics</c>).</summary>
public sealed class FilterBudgetOptions
{
    /// <summary>Distinct filters one person may read figures for in a UTC day; 0: no limit.</summary>
    public int DailyFilterBudget { get; set; } = 400;
}

/// <summary>
/// A statistics request's filter and whether it is served. <see cref="OverBudget"/> is the page's
/// message, <see cref="Refusal"/> the API's answer; both are null when the figures may be built.
/// </summary>
public sealed record FilterRead(ReportFilter Filter, Dictionary<string, string[]> Problems, string? OverBudget, IResult? Refusal);

/// <summary>
/// The gate every statistics read passes: the page, the JSON report, and the CSV and SVG downloads.
/// It reads the filter, writes it on the audit line, and spends the reader's daily budget of
/// distinct filters. Disclosure control judges one report at a time; an analyst who differences
/// hundreds of filter combinations could still corner a small group, so the number of
/// combinations a person may try in a day is bounded, and each one is in the audit log.
/// </summary>
public sealed class FilterBudget(NpgsqlDataSource dataSource, FilterBudgetOptions options, TimeProvider clock, IStringLocalizer<SharedResource> texts, Reports reports)
{
    public const string Table = "jt.statistics_filters_used";

    /// <summary>Idempotent DDL, applied with the other tables (see <see cref="Hosting.Schema"/>), so every node counts in one place.</summary>
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS jt.statistics_filters_used (
            day date NOT NULL,
            user_id text NOT NULL,
            filter text NOT NULL,
            PRIMARY KEY (day, user_id, filter)
        );
        """;

    public const string TooManyFilters = "Too many different filters today.";

    public const string OverBudgetMessage =
        "You have looked at figures for {0} different filters today, the most allowed in one day. To protect the children behind these figures, new filters can be chosen again after midnight (UTC). The filters you have already used today still work.";

    public async Task<FilterRead> ReadAsync(HttpContext context, CancellationToken ct)
    {
        var (filter, problems) = ReportFilter.Parse(context.Request.Query, await reports.DomainAsync(ct), texts);
        if (problems.Count > 0)
        {
            // Nothing is counted: a mistyped filter shows no figure.
            return new(filter, problems, null, Results.ValidationProblem(problems, title: "The filter is not valid."));
        }

        var key = Key(filter);
        context.StatisticsFilter(key);
        var now = clock.GetUtcNow();
        if (options.DailyFilterBudget == 0 || await SpendAsync(CurrentUser.From(context.User).UserId, key, DateOnly.FromDateTime(now.UtcDateTime), ct))
        {
            return new(filter, problems, null, null);
        }

        context.Action(AuditActions.StatisticsBudgetExceeded);
        var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling((midnight - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var message = texts[OverBudgetMessage, options.DailyFilterBudget].Value;
        return new(filter, problems, message, Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: texts[TooManyFilters].Value, detail: message));
    }

    /// <summary>
    /// Spends the budget for one more filter a page reads beside the one in its address (a group
    /// compared with it); false once the day's budget is spent.
    /// </summary>
    public Task<bool> AllowsAsync(HttpContext context, ReportFilter filter, CancellationToken ct) =>
        options.DailyFilterBudget == 0
            ? Task.FromResult(true)
            : SpendAsync(CurrentUser.From(context.User).UserId, Key(filter), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);

    /// <summary>
    /// The filter as a query string with its fields in a fixed order (<c>place=KE&amp;year=2024&amp;sex=Male</c>),
    /// so two ways of writing one filter count once; empty for the whole network. It holds only the
    /// parsed fields, never anything else the query carried.
    /// </summary>
    public static string Key(ReportFilter filter) => string.Join('&', new (string Name, string? Value)[]
        {
            ("place", filter.Place),
            ("year", filter.Year?.ToString(CultureInfo.InvariantCulture)),
            ("ageBand", filter.AgeBand?.ToString()),
            ("sex", filter.Sex?.ToString()),
            ("form", filter.Form?.ToString()),
            ("fact", filter.Fact?.ToString()),
            ("count", filter.Count == CountBasis.Happened ? nameof(CountBasis.Happened) : null),
            ("asOf", filter.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        }.Where(f => f.Value is not null).Select(f => $"{f.Name}={f.Value}"));

    /// <summary>
    /// Counts the filter for the person today unless it already is, or the day's budget is spent;
    /// true when it is counted. A refused filter is not stored, so the table holds at most a
    /// budget's worth of rows per person, and only today's: earlier days go on the way. Two
    /// simultaneous reads of new filters at the very edge of the budget may both pass; the
    /// request rate limit bounds that to a handful.
    /// </summary>
    private async Task<bool> SpendAsync(string userId, string filter, DateOnly day, CancellationToken ct)
    {
        // One round trip and one implicit transaction. The last statement runs with a fresh
        // snapshot, so it also sees the same filter counted a moment ago by another request.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"DELETE FROM {Table} WHERE day < $1", day));
        batch.BatchCommands.Add(Command($"""
            INSERT INTO {Table} (day, user_id, filter)
            SELECT $1, $2, $3 WHERE (SELECT count(*) FROM {Table} WHERE day = $1 AND user_id = $2) < $4
            ON CONFLICT DO NOTHING
            """, day, userId, filter, options.DailyFilterBudget));
        batch.BatchCommands.Add(Command($"SELECT EXISTS (SELECT 1 FROM {Table} WHERE day = $1 AND user_id = $2 AND filter = $3)", day, userId, filter));
        return await batch.ExecuteScalarAsync(ct) is true;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}

public static class FilterBudgetRegistration
{
    public static WebApplicationBuilder AddFilterBudget(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Statistics").Get<FilterBudgetOptions>() ?? new FilterBudgetOptions();
        if (options.DailyFilterBudget < 0)
        {
            throw new InvalidOperationException("Statistics:DailyFilterBudget must be 0 (no limit) or more.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<FilterBudget>();
        return builder;
    }
}
