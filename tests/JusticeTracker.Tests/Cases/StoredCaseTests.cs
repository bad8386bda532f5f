using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Cases;

/// <summary>
/// The case document is rewritten whole on every entry, so it holds a summary of the entries, not
/// the entries (ADR 21): each entry is a document of its own. Older documents are brought up to date by migrate.
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

    [Fact]
    public async Task a_stored_case_holds_a_summary_of_its_entries_not_the_entries_and_does_not_grow_with_them()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police), new InvestigationOpened());
        var rights = Enum.GetValues<ChildRight>();
        CaseEntry[] Assessments(RightRespect respect) => [.. Enumerable.Range(0, 40).Select(i => new RightAssessed(rights[i % rights.Length], respect))];
        version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, version, Assessments(RightRespect.Respected));
        var small = await StoredJson(opened.CaseId);
        await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, version, Assessments(RightRespect.Respected));
        var json = await StoredJson(opened.CaseId);

        Assert.DoesNotContain(": null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"entries\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"standing\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"openBarriers\"", json, StringComparison.Ordinal);

        // Forty more entries change counts and dates, and add nothing of themselves.
        Assert.True(json.Length < small.Length + 100, $"{small.Length} characters after 42 entries, {json.Length} after 82.");
        var summary = await Host.SummaryAs(TestUser.KenyanLawyer, opened.CaseId);
        Assert.Equal(rights.Length, summary.Rights.Count);
        Assert.Equal(Stage.InvestigationOpened, summary.Tracks.Single(t => t.Track == Track.CriminalJustice).Stage);
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
    public async Task a_case_stored_by_an_older_release_is_summarised_again_by_migrate_with_its_entry_documents()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var version = await Host.RecordAllAs(TestUser.KenyanLawyer, opened.CaseId, opened.Version, new ReportedToAuthorities(ReportChannel.Police), new InvestigationOpened());
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(version, new RightAssessed(ChildRight.Privacy, RightRespect.Respected)));
        var before = await StoredJson(opened.CaseId);

        // As an older release left it: no summary of the entries, and no entry documents (one left over, as if written since).
        await using (var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await using var delete = new NpgsqlCommand("DELETE FROM jt.mt_doc_caseentryview WHERE case_id = $1 AND id <> (SELECT min(id::text)::uuid FROM jt.mt_doc_caseentryview WHERE case_id = $1)", connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = opened.CaseId });
            Assert.Equal(2, await delete.ExecuteNonQueryAsync());
            await using var strip = new NpgsqlCommand("UPDATE jt.mt_doc_case SET data = data - 'entryCount' - 'tally' - 'rights' - 'openedProfile' WHERE id = $1", connection);
            strip.Parameters.Add(new NpgsqlParameter { Value = opened.CaseId });
            Assert.Equal(1, await strip.ExecuteNonQueryAsync());
        }

        Assert.True(await CaseEntryView.BackfillAsync(Host.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None) >= 1);
        Assert.Equal(0, await CaseEntryView.BackfillAsync(Host.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None));
        Assert.Equal(before, await StoredJson(opened.CaseId));
        var timeline = await Host.Scenario(x => x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases/{opened.CaseId}/timeline"));
        using var json = System.Text.Json.JsonDocument.Parse(await timeline.ReadAsTextAsync());
        Assert.Equal(3, json.RootElement.GetProperty("entries").GetArrayLength());
    }
}
