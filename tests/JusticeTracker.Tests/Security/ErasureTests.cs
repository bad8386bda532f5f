using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Erasing;
using JusticeTracker.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Security;

public sealed class ErasureTests(AppFixture fixture) : AppTest(fixture)
{
    /// <summary>How many rows, in any table but the audit log, mention the text anywhere.</summary>
    private async Task<Dictionary<string, long>> Traces(string text)
    {
        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables " +
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var found = new Dictionary<string, long>();
        foreach (var table in tables.Where(t => t != "jt.audit_log"))
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE t::text ILIKE '%' || $1 || '%'", connection);
            count.Parameters.Add(new NpgsqlParameter { Value = text });
            if ((long)(await count.ExecuteScalarAsync())! is > 0 and var n)
            {
                found[table] = n;
            }
        }

        return found;
    }

    [Fact]
    public async Task an_erased_case_leaves_no_trace_but_the_audit_line_that_it_was_erased()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police));
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version, new InvestigationOpened(), note: "Erasure canary flamingo"));
        var other = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        Assert.NotEmpty(await Traces("flamingo"));
        Assert.NotEmpty(await Traces(opened.CaseId.ToString()));

        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, version + 1)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
            x.StatusCodeShouldBe(204);
        });

        // The case's statistics hold its id until the projection has taken the case out.
        await Fixture.CatchUpAsync();
        Assert.Empty(await Traces("flamingo"));
        Assert.Empty(await Traces(opened.CaseId.ToString()));
        Assert.Empty(await Traces(opened.Reference));
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url($"/api/cases/{opened.CaseId}");
            x.StatusCodeShouldBe(404);
        });
        await Host.SummaryAs(TestUser.KenyanLawyer, other.CaseId);

        var audit = await Eventually.Get(
            () => Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(CaseReference: opened.Reference, Action: "case.erase"), 1, 10, CancellationToken.None),
            found => found.Entries.Count > 0);
        var erased = Assert.Single(audit.Entries);
        Assert.Equal((TestUser.LegalExpert.Id, "ConsentWithdrawn", 204), (erased.UserId, erased.Detail, erased.Status));
    }

    [Fact]
    public async Task an_erased_case_reference_is_never_given_to_a_new_case()
    {
        var erased = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.OpenedInError, erased.Version)).ToUrl($"/api/cases/{erased.CaseId}/erasure");
            x.StatusCodeShouldBe(204);
        });
        await Eventually.Get(
            () => Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(CaseReference: erased.Reference, Action: "case.erase"), 1, 10, CancellationToken.None),
            found => found.Entries.Count > 0);

        // The next draw repeats the erased case's reference; nothing else stands in its way.
        Fixture.Draws.Queue(erased.Reference[^4..]);
        var next = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        Assert.Equal(0, Fixture.Draws.Pending);
        Assert.NotEqual(erased.Reference, next.Reference);
    }

    [Fact]
    public async Task only_legal_experts_erase_and_only_from_the_version_they_saw()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        foreach (var user in new[] { TestUser.KenyanLawyer, TestUser.Analyst, TestUser.Administrator })
        {
            await Host.Scenario(x =>
            {
                x.As(user).Post.Json(new EraseCase(ErasureReason.ConsentWithdrawn, 1)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
                x.StatusCodeShouldBe(403);
            });
        }

        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.OpenedInError, 7)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
            x.StatusCodeShouldBe(409);
        });
        await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
    }
}
