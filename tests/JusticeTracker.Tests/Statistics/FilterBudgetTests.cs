using System.Globalization;
using System.Text.Json;
using JusticeTracker.Audit;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace JusticeTracker.Tests.Statistics;

/// <summary>A host of its own whose analysts may read 3 distinct filters a day, at noon UTC on a fixed day.</summary>
public sealed class SmallFilterBudgetHost : IAsyncLifetime
{
    public const int Budget = 3;

    public IAlbaHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await AlbaHost.For<Program>(builder =>
    {
        builder.UseEnvironment("Development");
        builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Statistics:DailyFilterBudget", Budget.ToString(CultureInfo.InvariantCulture));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(new FakeClock(AppFixture.Start));
            AppFixture.AddTestSignIn(services);
        });
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// An analyst who differences many filter combinations is slowed down: each person may read a
/// few distinct filters a day (here 3), counted in the database, and the excess is refused and
/// audited. Each test has its own analysts, so counts from earlier runs never meet it.
/// </summary>
public sealed class FilterBudgetTests(SmallFilterBudgetHost fixture) : IClassFixture<SmallFilterBudgetHost>
{
    private const string OverBudget = "You have looked at figures for 3 different filters today, the most allowed in one day.";

    private IAlbaHost Host => fixture.Host;

    private static TestUser NewAnalyst() => TestUser.Analyst with { Id = $"analyst-{Guid.NewGuid():N}" };

    /// <summary>Reads the answer to its end, as a browser would: the test server holds a long page's last bytes until they are read.</summary>
    private async Task<(IScenarioResult Result, string Body)> Read(TestUser user, string url, int status, string? language = null)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(user).Get.Url(url);
            if (language is not null)
            {
                x.WithRequestHeader("Accept-Language", language);
            }

            x.StatusCodeShouldBe(status);
        });
        return (result, await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task the_filter_past_the_budget_is_refused_until_midnight_while_used_filters_and_other_people_go_on()
    {
        var analyst = NewAnalyst();

        // The page, its download of the same filter, and two more filters: three filters.
        await Read(analyst, "/statistics?sex=Male", 200);
        var sameFilter = await Host.Scenario(x =>
        {
            x.As(analyst).Get.Url("/api/statistics/overview.csv?sex=Male");
            x.IgnoreStatusCode();
        });

        // 200, or 422 when the cases in the database are too few for Kenya: either way, not refused for the budget.
        Assert.NotEqual(429, sameFilter.Context.Response.StatusCode);
        await Read(analyst, "/api/statistics?sex=Female&ageBand=Age6To11", 200);
        await Read(analyst, "/api/statistics?year=2024", 200);

        // The fourth: refused, in the API's problem form and in the reader's language, until the next UTC midnight.
        var (refused, body) = await Read(analyst, "/api/statistics?ageBand=Age0To5", 429);
        Assert.Equal("application/problem+json", refused.Context.Response.ContentType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal("Too many different filters today.", problem.GetProperty("title").GetString());
        Assert.StartsWith(OverBudget, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("43200", refused.Context.Response.Headers.RetryAfter.ToString());
        var french = JsonSerializer.Deserialize<JsonElement>((await Read(analyst, "/api/statistics/countries.svg?ageBand=Age0To5", 429, language: "fr")).Body);
        Assert.Equal("Trop de filtres différents aujourd'hui.", french.GetProperty("title").GetString());

        // The page shows the message in its error summary, and no figures.
        var page = (await Read(analyst, "/statistics?ageBand=Age0To5", 429)).Body;
        Assert.Matches($"class=\"error-summary\"[\\s\\S]*{OverBudget}", page);
        Assert.DoesNotContain("cases match these filters", page, StringComparison.Ordinal);

        // Filters already counted today still answer, on every route; another analyst is not affected.
        await Read(analyst, "/api/statistics?sex=Male", 200);
        await Read(analyst, "/statistics?ageBand=Age6To11&sex=Female", 200);
        await Read(NewAnalyst(), "/api/statistics?ageBand=Age0To5", 200);
    }

    [Fact]
    public async Task an_administrator_sees_each_refused_read_with_its_filter_on_the_audit_page()
    {
        var analyst = NewAnalyst();
        foreach (var year in new[] { 2021, 2022, 2023 })
        {
            await Read(analyst, $"/api/statistics?year={year}", 200);
        }

        await Read(analyst, "/api/statistics?year=2024&ageBand=Age12To14", 429);
        await Read(analyst, "/statistics?year=2025", 429);

        var log = Host.Services.GetRequiredService<AuditLog>();
        var refusals = await Eventually.Get(
            async () => (await log.QueryAsync(new AuditFilter(User: analyst.Id, Action: "statistics.budget-exceeded"), 1, 10, CancellationToken.None)).Entries,
            e => e.Count == 2);
        Assert.Equal(["year=2024&ageBand=Age12To14", "year=2025"], refusals.Select(e => e.StatisticsFilter).Order());
        Assert.All(refusals, e => Assert.Equal(429, e.Status));

        var page = await Host.Scenario(x => x.As(TestUser.Administrator).Get.Url($"/admin/audit?userId={analyst.Id}&action=statistics.budget-exceeded"));
        var html = await page.ReadAsTextAsync();
        Assert.Contains("(2 entries)", html, StringComparison.Ordinal);
        Assert.Contains("Statistics refused: daily filter budget spent", html, StringComparison.Ordinal);
        Assert.Contains("<code>year=2024&amp;ageBand=Age12To14</code>", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"statistics.budget-exceeded\" selected=\"selected\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_invalid_filter_is_refused_naming_the_field_and_uses_no_budget()
    {
        var analyst = NewAnalyst();
        foreach (var (url, field) in new[] { ("/api/statistics?year=24", "year"), ("/api/statistics/overview.csv?sex=Girl", "sex"), ("/api/statistics/countries.svg?place=Atlantis", "place") })
        {
            var errors = JsonSerializer.Deserialize<JsonElement>((await Read(analyst, url, 400)).Body).GetProperty("errors");
            Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        }

        var page = (await Read(analyst, "/statistics?asOf=yesterday", 200)).Body;
        Assert.Contains("<a href=\"#asOf\">", page, StringComparison.Ordinal);

        // None of the four counted: three valid filters still fit in the budget of three, and only the fourth is refused.
        await Read(analyst, "/api/statistics?sex=Female", 200);
        await Read(analyst, "/api/statistics?sex=Male", 200);
        await Read(analyst, "/statistics?year=2024", 200);
        await Read(analyst, "/api/statistics?ageBand=Age0To5", 429);
    }
}
