using JusticeTracker.Cases;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Cases;

/// <summary>
/// The case document is rewritten whole on every entry, so what it stores is kept small: no empty
/// values and no values worked out from others. Documents written before that still read the same.
/// </summary>
public sealed class StoredCaseTests(AppFixture fixture) : AppTest(fixture)
{
    private async Task<string> StoredJson(Guid caseId)
    {
        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT data::text FROM jt.mt_doc_case WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Case> Load(Guid caseId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Case>(caseId))!;
    }

    [Fact]
    public async Task a_stored_case_holds_no_empty_or_derived_values_and_an_older_document_with_them_reads_the_same()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var reported = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(opened.Version, new ReportedToAuthorities(ReportChannel.Police)));
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(reported.Version, new InvestigationOpened()));

        var json = await StoredJson(opened.CaseId);
        Assert.DoesNotContain(": null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"isStanding\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"standing\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"openBarriers\"", json, StringComparison.Ordinal);
        var before = await Load(opened.CaseId);

        // As the document was stored before: empty values written out, and each entry's id and
        // standing beside the values they come from.
        await using (var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await using var rewrite = new NpgsqlCommand(
                """
                UPDATE jt.mt_doc_case SET data = jsonb_set(jsonb_set(jsonb_set(jsonb_set(data,
                    '{entries,0,correctedBy}', 'null'),
                    '{entries,0,event,entry,note}', 'null'),
                    '{entries,0,isStanding}', 'true'),
                    '{entries,0,id}', to_jsonb(data #>> '{entries,0,event,entry,entryId}'))
                WHERE id = $1
                """,
                connection);
            rewrite.Parameters.Add(new NpgsqlParameter { Value = opened.CaseId });
            Assert.Equal(1, await rewrite.ExecuteNonQueryAsync());
        }

        Assert.Contains("\"isStanding\"", await StoredJson(opened.CaseId), StringComparison.Ordinal);
        var after = await Load(opened.CaseId);
        Assert.Equal(before.Entries, after.Entries);
        Assert.Equal((before.Version, before.Status, before.OpenBarrierCount), (after.Version, after.Status, after.OpenBarrierCount));
        Assert.Equal(before.Tracks, after.Tracks);
    }
}
