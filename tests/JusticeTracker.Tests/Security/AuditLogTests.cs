using System.Text;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Security;

public sealed class AuditLogTests(AppFixture fixture) : AppTest(fixture)
{
    private AuditLog Log => Host.Services.GetRequiredService<AuditLog>();

    private Task<IReadOnlyList<AuditEntry>> For(AuditFilter filter, Func<IReadOnlyList<AuditEntry>, bool>? until = null) =>
        Eventually.Get(async () => (await Log.QueryAsync(filter, 1, 500, CancellationToken.None)).Entries, until ?? (entries => entries.Count > 0));

    [Fact]
    public async Task reads_changes_and_refusals_on_a_case_are_recorded_with_who_what_when_and_where()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.SummaryAs(TestUser.LegalExpert, opened.CaseId);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(1, new InvestigationOpened()));
        await Host.Scenario(x =>
        {
            x.As(TestUser.UgandanLawyer).Get.Url($"/api/cases/{opened.CaseId}/timeline");
            x.StatusCodeShouldBe(404);
        });

        var entries = await For(new AuditFilter(CaseReference: opened.Reference), e => e.Any(x => x.Action == "denied"));

        var read = Assert.Single(entries, e => e.Action == "case.read");
        Assert.Equal(TestUser.LegalExpert.Id, read.UserId);
        Assert.Equal("LegalExpert", read.Roles);
        Assert.Equal("/api/cases/{caseId}", read.Route);
        Assert.Equal(200, read.Status);
        Assert.False(string.IsNullOrEmpty(read.CorrelationId));
        Assert.Single(entries, e => e.Action == "case.open" && e.UserId == TestUser.KenyanLawyer.Id && e.OrganisationId == "org-ke-1");
        Assert.Single(entries, e => e.Action == "case.change" && e.Method == "POST");
        var denied = Assert.Single(entries, e => e.Action == "denied");
        Assert.Equal((TestUser.UgandanLawyer.Id, 404), (denied.UserId, denied.Status));
    }

    [Fact]
    public async Task requests_refused_by_role_are_recorded_as_denied()
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.Analyst).Get.Url("/api/cases");
            x.StatusCodeShouldBe(403);
        });

        var correlationId = result.Context.Response.Headers["X-Correlation-Id"].ToString();
        var entries = await For(new AuditFilter(User: TestUser.Analyst.Id, Action: "denied"), e => e.Any(x => x.CorrelationId == correlationId));
        Assert.Contains(entries, e => e.CorrelationId == correlationId && e.Status == 403);
    }

    [Fact]
    public async Task sign_in_and_sign_out_are_recorded()
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-lawyer-ph-1");
        await browser.PostForm("/sign-out", [], formPage: "/");

        var entries = await For(new AuditFilter(User: "demo-lawyer-ph-1"), e => e.Any(x => x.Action == "sign-out"));
        Assert.Contains(entries, e => e.Action == "sign-in" && e.Status == 302);
        Assert.Contains(entries, e => e.Action == "sign-out" && e.OrganisationId == "org-ph-1");
    }

    [Fact]
    public async Task the_audit_log_holds_no_case_content()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(1, new InvestigationOpened(), note: "Audit canary pelican"));

        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM jt.audit_log a WHERE a::text ILIKE '%pelican%'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("UPDATE jt.audit_log SET user_id = 'someone-else'")]
    [InlineData("DELETE FROM jt.audit_log")]
    [InlineData("TRUNCATE jt.audit_log")]
    public async Task the_audit_log_cannot_be_changed_or_emptied(string sql)
    {
        await Host.Scenario(x => x.As(TestUser.LegalExpert).Get.Url("/api/cases"));
        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_administrator_filters_pages_and_exports_the_log_and_the_export_is_recorded()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        for (var i = 0; i < 3; i++)
        {
            await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        }

        var admin = new BrowserSession(Host);
        await admin.SignInAs("demo-admin");
        await For(new AuditFilter(CaseReference: opened.Reference, Action: "case.read"), e => e.Count == 3);
        var page = await (await admin.Get($"/admin/audit?caseReference={opened.Reference}&action=case.read")).ReadAsTextAsync();
        Assert.Contains("(3 entries)", page, StringComparison.Ordinal);

        var csv = await (await admin.Get($"/admin/audit?handler=Csv&caseReference={opened.Reference}")).ReadAsTextAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("at,user,roles", lines[0], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length - 1);
        Assert.Contains(await For(new AuditFilter(User: "demo-admin"), e => e.Any(x => x.Action == "audit.export")), e => e.Action == "audit.export");
    }

    [Fact]
    public async Task statistics_reads_and_downloads_are_recorded_with_their_normalised_filter_and_nothing_else_from_the_query()
    {
        for (var i = 0; i < 12; i++)
        {
            await Host.OpenCaseAs(TestUser.KenyanLawyer);
        }

        await Fixture.CatchUpAsync();
        var analyst = TestUser.Analyst with { Id = $"analyst-{Guid.NewGuid():N}" };

        // The same filter written four ways, with a field the filter does not know.
        string[] urls =
        [
            "/statistics?sex=Female&place=ke&note=canary-pelican",
            "/api/statistics?place=KE&sex=Female&note=canary-pelican",
            "/api/statistics/overview.csv?sex=Female&note=canary-pelican&place=KE",
            "/api/statistics/countries.svg?note=canary-pelican&place=Ke&sex=Female",
        ];
        var correlationIds = new List<string>();
        foreach (var url in urls)
        {
            var result = await Host.Scenario(x => x.As(analyst).Get.Url(url));

            // Read to the end: the test server holds a long page's last bytes, and its audit line, until they are read.
            await result.ReadAsTextAsync();
            correlationIds.Add(result.Context.Response.Headers["X-Correlation-Id"].ToString());
        }

        var entries = await For(new AuditFilter(User: analyst.Id), e => e.Count == urls.Length);
        Assert.Equal(correlationIds.Order(), entries.Select(e => e.CorrelationId!).Order());
        Assert.All(entries, e => Assert.Equal("place=KE&sex=Female", e.StatisticsFilter));
        Assert.Equal(
            ["GET /api/statistics statistics.read", "GET /api/statistics/{chart}.svg statistics.export", "GET /api/statistics/{table}.csv statistics.export", "GET /statistics statistics.read"],
            entries.Select(e => $"{e.Method} {e.Route} {e.Action}").Order());

        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM jt.audit_log a WHERE a::text ILIKE '%canary-pelican%'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());

        // Administrators see the filter, search by part of it, and export it.
        var admin = new BrowserSession(Host);
        await admin.SignInAs("demo-admin");
        var page = await (await admin.Get($"/admin/audit?userId={analyst.Id}&statisticsFilter=place%3DKE")).ReadAsTextAsync();
        Assert.Contains("(4 entries)", page, StringComparison.Ordinal);
        Assert.Contains("<code>place=KE&amp;sex=Female</code>", page, StringComparison.Ordinal);
        var none = await (await admin.Get($"/admin/audit?userId={analyst.Id}&statisticsFilter=place%3DUG")).ReadAsTextAsync();
        Assert.Contains("(0 entries)", none, StringComparison.Ordinal);
        var csv = await (await admin.Get($"/admin/audit?handler=Csv&userId={analyst.Id}")).ReadAsTextAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",statistics_filter", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.EndsWith(",place=KE&sex=Female", line, StringComparison.Ordinal));
        Assert.Equal(4, lines.Length - 1);
    }

    [Fact]
    public async Task only_administrators_read_the_audit_log()
    {
        var lawyer = new BrowserSession(Host);
        await lawyer.SignInAs("demo-legal-expert");

        await lawyer.Get("/admin/audit", status: 302);
        await lawyer.Get("/admin/audit?handler=Csv", status: 302);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+44 20", "\"'+44 20\"")]
    [InlineData("-1+1", "\"'-1+1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("plain", "plain")]
    [InlineData(null, "\"\"")]
    public void csv_cells_that_start_like_a_formula_are_written_as_text(string? value, string expected)
    {
        var file = Encoding.UTF8.GetString(CsvFile.Write(["h"], [[value]]));

        Assert.Equal($"\uFEFFh\r\n{expected}\r\n", file);
    }
}
