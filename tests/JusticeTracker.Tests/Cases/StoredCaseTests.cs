using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
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

    [Fact]
    public async Task each_entry_is_stored_as_a_document_of_its_own_as_it_stands_after_corrections_and_retractions()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var verdict = Entry(opened.Version, new VerdictDelivered(VerdictOutcome.Acquitted), date: "2025-06-10");
        var first = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, verdict);
        var corrected = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(first.Version, new VerdictDelivered(VerdictOutcome.Convicted), date: "2025-06-10") with { Corrects = verdict.CommandId, CorrectionReason = "Judgment text says convicted." });
        var barrier = Entry(corrected.Version, new BarrierRecorded(Track.Compensation, null, BarrierCategory.NoCompensationScheme, BarrierSeverity.Blocked));
        var recorded = await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, barrier);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(recorded.Version, new EntryRetracted(barrier.CommandId), note: "Recorded on the wrong case."));

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var views = await session.Query<CaseEntryView>().Where(v => v.CaseId == opened.CaseId).ToListAsync();
        var rebuilt = (await session.Events.AggregateStreamAsync<Case>(opened.CaseId))!;

        Assert.Equal(4, views.Count);
        Assert.Equal(rebuilt.Entries, views.OrderBy(v => v.Position).Select(v => v.AsRecorded()));
        Assert.Equal(corrected.EntryId, views.Single(v => v.Id == verdict.CommandId).CorrectedBy);
        Assert.NotNull(views.Single(v => v.Id == barrier.CommandId).RetractedBy);
    }

    [Fact]
    public async Task a_case_stored_before_entry_documents_gets_them_from_migrate_and_its_timeline_back()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police), new InvestigationOpened());
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version, new RightAssessed(ChildRight.Privacy, RightRespect.Respected)));

        // As an older release left it: the case document, and no entry documents (one left over, as if written since).
        await using (var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await using var delete = new NpgsqlCommand("DELETE FROM jt.mt_doc_caseentryview WHERE case_id = $1 AND id <> (SELECT min(id::text)::uuid FROM jt.mt_doc_caseentryview WHERE case_id = $1)", connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = opened.CaseId });
            Assert.Equal(2, await delete.ExecuteNonQueryAsync());
        }

        Assert.True(await CaseEntryView.BackfillAsync(Host.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None) >= 1);
        Assert.Equal(0, await CaseEntryView.BackfillAsync(Host.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None));
        var timeline = await Host.Scenario(x => x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases/{opened.CaseId}/timeline"));
        using var json = System.Text.Json.JsonDocument.Parse(await timeline.ReadAsTextAsync());
        Assert.Equal(3, json.RootElement.GetProperty("entries").GetArrayLength());
    }
}
