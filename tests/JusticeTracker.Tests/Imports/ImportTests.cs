using System.Globalization;
using System.Text;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Transferring;
using JusticeTracker.Imports;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using MiniExcelLibs;
using Npgsql;

namespace JusticeTracker.Tests.Imports;

/// <summary>
/// Imports through the pages, as a lawyer would: real .xlsx and .csv files made here, uploaded,
/// mapped, checked and confirmed, and the job run by Wolverine on the real database.
/// </summary>
public sealed class ImportTests(AppFixture fixture) : AppTest(fixture)
{
    private const string Lawyer = "demo-lawyer-ke-1";
    private const string Organisation = "org-ke-1";

    private IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>The headers of a layout in a language, as its template writes them.</summary>
    private string[] Headers(ImportLayout layout, string language, params string[] ids)
    {
        var l = Host.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            return [.. ids.Select(id => Columns.Find(layout, id)!.Header(l))];
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static byte[] Xlsx(string[] header, IEnumerable<string?[]> rows)
    {
        var sheet = rows.Select(r =>
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = r[i];
            }

            return row;
        }).ToList();
        using var buffer = new MemoryStream();
        buffer.SaveAs(sheet, excelType: ExcelType.XLSX);
        return buffer.ToArray();
    }

    private static byte[] Csv(string[] header, IEnumerable<string?[]> rows, Encoding encoding, char separator)
    {
        string Quote(string? cell) => cell is null ? "" : cell.Contains(separator) || cell.Contains('"') ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
        var text = string.Join("\r\n", new[] { header }.Concat(rows).Select(r => string.Join(separator, r.Select(Quote))));
        return encoding.GetBytes(text);
    }

    private async Task<BrowserSession> SignedIn(string user = Lawyer)
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs(user);
        return browser;
    }

    private static async Task<Guid> UploadAsync(BrowserSession browser, string fileName, byte[] bytes, ImportLayout layout, string? organisation = null)
    {
        var fields = new Dictionary<string, string> { ["Layout"] = layout.ToString() };
        if (organisation is not null)
        {
            fields["OrganisationId"] = organisation;
        }

        var result = await browser.PostFile("/imports", fields, fileName, bytes);
        var location = result.Context.Response.Headers.Location.ToString();
        Assert.StartsWith("/imports/", location, StringComparison.Ordinal);
        return Guid.Parse(location["/imports/".Length..]);
    }

    private async Task<ImportBatch> BatchAsync(Guid id)
    {
        await using var session = Store.QuerySession();
        return (await session.LoadAsync<ImportBatch>(id))!;
    }

    /// <summary>Confirms the proposed mapping, which runs the dry run.</summary>
    private async Task<ImportBatch> CheckAsync(BrowserSession browser, Guid id)
    {
        var batch = await BatchAsync(id);
        var form = batch.Mapping.Select((m, i) => (m, i)).ToDictionary(p => $"Mapping[{p.i}]", p => p.m ?? "");
        form["SaveMapping"] = "true";
        await browser.PostForm($"/imports/{id}?handler=Map", form, formPage: $"/imports/{id}");
        return await BatchAsync(id);
    }

    private async Task<ImportBatch> ImportAsync(BrowserSession browser, Guid id)
    {
        await browser.PostForm($"/imports/{id}?handler=Confirm", [], formPage: $"/imports/{id}");
        return await Until(id, BatchStatus.Done);
    }

    private async Task<ImportBatch> Until(Guid id, BatchStatus status)
    {
        ImportBatch? batch = null;
        await Eventually.TrueAsync(async () => (batch = await BatchAsync(id)).Status == status, TimeSpan.FromSeconds(60), () => $"the batch is {batch?.Status}, not {status}");
        return batch!;
    }

    private async Task<List<Case>> CasesAsync()
    {
        await using var session = Store.QuerySession();
        return [.. await session.Query<Case>().ToListAsync()];
    }

    private static string?[] CaseRow(string began, string age, string sex, string forms, string? reported, string? channel, string? verdict, string? outcome, string? awarded = null, string? amount = null, string? currency = null) =>
        ["KE", began, age, sex, forms, reported, channel, verdict, outcome, awarded, amount, currency];

    private string[] CaseHeaders(string language) => Headers(ImportLayout.CasePerRow, language,
        "country", "exploitationBegan", "ageBand", "sex", "forms", "ReportedToAuthorities", "ReportedToAuthorities.detail", "VerdictDelivered", "VerdictDelivered.detail", "CompensationAwarded", "CompensationAwarded.amount", "currency");

    [Fact]
    public async Task a_good_xlsx_lands_every_row_with_its_batch_and_row_and_the_statistics_match_a_recomputation()
    {
        var rows = Enumerable.Range(0, 12).Select(i => CaseRow(
            $"2023-{1 + (i % 9):00}", i % 2 == 0 ? "12-14" : "15-17", i % 3 == 0 ? "Male" : "Female", "Trafficking; Prostitution",
            $"15/{1 + (i % 9) + 1:00}/2023", "Police", i < 8 ? "2024-06" : null, i < 8 ? (i % 4 == 0 ? "Acquitted" : "Convicted") : null,
            i < 3 ? "2024-09-01" : null, i < 3 ? "150000" : null, i < 3 ? "KES" : null)).ToList();
        var browser = await SignedIn();

        var id = await UploadAsync(browser, "cases.xlsx", Xlsx(CaseHeaders("en"), rows), ImportLayout.CasePerRow);
        var checkedBatch = await CheckAsync(browser, id);

        Assert.Equal((BatchStatus.Checked, 12, 12 + 8 + 3, 0), (checkedBatch.Status, checkedBatch.Cases, checkedBatch.Entries, checkedBatch.RefusedRows));
        Assert.Empty(await CasesAsync());
        var done = await ImportAsync(browser, id);

        Assert.Equal((12, 23, 0, 12), (done.Cases, done.Entries, done.RefusedRows, done.Progress));
        var cases = await CasesAsync();
        Assert.Equal(12, cases.Count);
        Assert.All(cases, c => Assert.Equal((Organisation, "KE", "demo-lawyer-ke-1"), (c.OrganisationId, c.Country, c.OpenedBy.UserId)));
        Assert.Equal(12, cases.Select(c => c.Reference).Distinct().Count());
        Assert.Equal(8, cases.Count(c => c.Count(nameof(VerdictDelivered)) == 1));

        // Every event carries its batch and its row in the sheet (rows 2 to 13).
        await using (var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT headers->>'importRow'), min((headers->>'importRow')::int), max((headers->>'importRow')::int) FROM jt.mt_events WHERE headers->>'importBatch' = $1", connection))
        {
            command.Parameters.AddWithValue(id.ToString());
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((12L + 23, 12L, 2, 13), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3)));
        }

        // The page shows what was done; the audit log has the run, with counts only.
        var page = await (await browser.Get($"/imports/{id}")).ReadAsTextAsync();
        Assert.Contains("12 cases opened", page, StringComparison.Ordinal);
        var audit = await Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(Action: AuditActions.ImportRun), 1, 10, CancellationToken.None);
        Assert.Equal("12 cases, 23 entries, 0 rows refused", Assert.Single(audit.Entries, e => e.CorrelationId == id.ToString()).Detail);

        await Fixture.CatchUpAsync();
        var failures = new List<string>();
        var timelines = await StatisticsRecomputation.FoldAsync(Store, []);
        StatisticsRecomputation.Diff("after the import", StatisticsRecomputation.Sum(timelines.Values.Select(t => t[^1].Facts)), await StatisticsRecomputation.ReadAsync(Host.Services.GetRequiredService<NpgsqlDataSource>(), null), failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task a_french_csv_in_the_excel_code_page_with_bad_rows_is_reported_row_by_row_and_nothing_is_saved_until_confirmed()
    {
        var header = Headers(ImportLayout.EntryPerRow, "fr", "key", "country", "exploitationBegan", "ageBand", "sex", "forms", "kind", "occurred", "detail", "note");
        var l = Host.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        string?[][] rows =
        [
            ["C1", "KE", "2023-02", "12-14", "Féminin", "Traite à des fins sexuelles", "", "", "", ""],
            ["C1", "", "", "", "", "", "ReportedToAuthorities", "03/2023", "Police", "Signalement fait par la mère."],
            ["C1", "", "", "", "", "", "SentenceImposed", "2024", "", ""], // a sentence without a verdict
            ["C2", "KE", "2023-05", "40-45", "Féminin", "Traite à des fins sexuelles", "", "", "", ""], // no such age band
            ["C2", "", "", "", "", "", "InvestigationOpened", "2023-06", "", ""],
            ["", "KE", "2023-05", "6-11", "Masculin", "Traite à des fins sexuelles", "", "", "", ""], // no key
            ["C3", "KE", "2023-05", "6-11", "Masculin", "Traite à des fins sexuelles", "InvestigationOpened", "2030-01-01", "", ""], // in the future
            ["C4", "KE", "2022", "6-11", "Masculin", "Mariage d'enfants, précoce et forcé; Traite à des fins sexuelles", "Jugement", "pas de date", "Condamné", ""],
        ];
        var browser = await SignedIn();

        var id = await UploadAsync(browser, "entrées.csv", Csv(header, rows, Encoding.GetEncoding(1252), ';'), ImportLayout.EntryPerRow);
        var batch = await BatchAsync(id);
        Assert.Equal(header, batch.Columns.Select(c => c.Header));
        Assert.Equal(["key", "country", "exploitationBegan", "ageBand", "sex", "forms", "kind", "occurred", "detail", "note"], batch.Mapping);
        batch = await CheckAsync(browser, id);

        // C1, C3 and C4 open, C2 is refused with each of its rows, the keyless row is refused, and
        // of the entries only C1's report stands.
        Assert.Equal((3, 1, 6), (batch.Cases, batch.Entries, batch.RefusedRows));
        await using (var session = Store.QuerySession())
        {
            var outcomes = (await session.Query<ImportChunk>().Where(c => c.BatchId == id).SingleAsync()).Outcomes.ToDictionary(o => o.Row);
            Assert.Equal(RecordEntryEndpoint_SentenceNeedsConviction, outcomes[4].Problems[^1].Key);
            Assert.Equal(ImportPlan.NotAValue, outcomes[5].Problems.Single().Key);
            Assert.Equal(ImportPlan.CaseRefused, outcomes[6].Problems.Single().Key);
            Assert.Equal(ImportPlan.NoKey, outcomes[7].Problems.Single().Key);
            Assert.True(outcomes[8].OpensCase);
            Assert.Contains(outcomes[8].Problems, p => p.Key.Contains("future", StringComparison.Ordinal));
            Assert.True(outcomes[9].OpensCase);
            Assert.Contains(outcomes[9].Problems, p => p.Key == ImportPlan.NotADate);
        }

        // The report speaks the reader's language, and names the sheet's own column.
        var french = System.Net.WebUtility.HtmlDecode(await (await browser.Get($"/imports/{id}?culture=fr&problems=true")).ReadAsTextAsync());
        Assert.Contains("La valeur de la colonne « Tranche d'âge » n'est pas une de celles qu'elle accepte.", french, StringComparison.Ordinal);
        Assert.Contains("Le cas de cette ligne a été refusé (voir la ligne 5).", french, StringComparison.Ordinal);
        Assert.Contains(l["Opens a case"].Value, await (await browser.Get($"/imports/{id}")).ReadAsTextAsync(), StringComparison.Ordinal);

        // Nothing of a case exists before the confirmation.
        Assert.Empty(await CasesAsync());
        await using (var session = Store.QuerySession())
        {
            Assert.Equal(0, await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == "case_opened").CountAsync());
        }

        await ImportAsync(browser, id);
        var cases = await CasesAsync();
        Assert.Equal(3, cases.Count);
        Assert.Equal([0, 0, 1], cases.OrderBy(c => c.EntryCount).Select(c => c.EntryCount));
        Assert.Contains(cases, c => c.Profile.Forms.SequenceEqual([ExploitationForm.ChildMarriage, ExploitationForm.Trafficking]));
    }

    [Fact]
    public async Task a_sheet_names_the_countrys_own_steps_and_the_new_facts_and_each_is_recorded_as_its_common_step()
    {
        var header = Headers(ImportLayout.EntryPerRow, "en", "key", "country", "exploitationBegan", "ageBand", "sex", "forms", "kind", "occurred", "detail", "note");
        string?[][] rows =
        [
            ["K1", "KE", "2023-02", "12-14", "Female", "Trafficking", "", "", "", ""],
            ["K1", "", "", "", "", "", "Complaint booked in the police Occurrence Book", "2023-03", "", ""],
            ["K1", "", "", "", "", "", "ke.dci_investigation", "2023-04", "", ""],
            ["K1", "", "", "", "", "", "ServiceUnavailable", "2023-05", "Emergency shelter", ""],
            ["K1", "", "", "", "", "", "Threats or intimidation", "2023-06", "", ""],
            ["K1", "", "", "", "", "", "SN.INFORMATION", "2023-07", "", ""], // Senegal's step, on a Kenyan case
            ["K1", "", "", "", "", "", "Plea agreement (Criminal Procedure Code, s. 137A)", "2023-08", "Not guilty", ""], // the step fixes the plea
        ];
        var browser = await SignedIn();

        var id = await UploadAsync(browser, "steps.csv", Csv(header, rows, new UTF8Encoding(false), ','), ImportLayout.EntryPerRow);
        var batch = await CheckAsync(browser, id);
        Assert.Equal((1, 4, 2), (batch.Cases, batch.Entries, batch.RefusedRows));
        await using (var session = Store.QuerySession())
        {
            var outcomes = (await session.Query<ImportChunk>().Where(c => c.BatchId == id).SingleAsync()).Outcomes.ToDictionary(o => o.Row);
            Assert.Equal(ImportPlan.NotImportable, outcomes[7].Problems.Single().Key);
            Assert.Contains(outcomes[8].Problems, p => p.Key.Contains("always has the value shown", StringComparison.Ordinal));
        }

        await ImportAsync(browser, id);
        var imported = Assert.Single(await CasesAsync());
        await using var read = Store.QuerySession();
        var entries = await read.Query<JusticeTracker.Cases.Reading.CaseEntryView>().Where(e => e.CaseId == imported.Id).ToListAsync();
        Assert.Equal(
            [("ReportedToAuthorities", "KE.OB_REPORT"), ("InvestigationOpened", "KE.DCI_INVESTIGATION"), ("ServiceUnavailable", null), ("ThreatReported", null)],
            entries.OrderBy(e => e.Position).Select(e => (e.Event.Kind, e.Event.Entry.LocalStage)));
        Assert.Equal(ReportChannel.Police, entries.Select(e => e.Event).OfType<ReportedToAuthorities>().Single().Channel);
    }

    private const string RecordEntryEndpoint_SentenceNeedsConviction = "A sentence needs a conviction. Record the verdict first.";

    [Fact]
    public async Task columns_of_names_and_contacts_are_dropped_and_no_table_holds_their_text()
    {
        var header = new[] { "Child name", "Case key", "Country", "Exploitation began", "Age band", "Sex", "Forms of exploitation", "Kind of entry", "Date it happened", "Guardian phone", "Remarks", "Note" };
        string?[][] rows =
        [
            ["Wanjiku Kamau", "C1", "KE", "2023-02", "12-14", "Female", "Trafficking", "InvestigationOpened", "2023-03", "+254 712 345678", "Mary Achieng", "Police visited the home twice."],
            ["Otieno Odhiambo", "C2", "KE", "2023-04", "6-11", "Male", "Prostitution", "InvestigationOpened", "2023-05", "+254 733 111222", "Grace Njeri", "Call her on 0712 999 888 before the hearing."],
            ["Akinyi Wafula", "C3", "Kenya", "2023-06", "15-17", "Female", "Trafficking", "InvestigationOpened", "2023-07", "+254 722 555666", "Peter Mwangi", "The hearing was adjourned."],
        ];
        var browser = await SignedIn();

        var id = await UploadAsync(browser, "with-names.csv", Csv(header, rows, new UTF8Encoding(true), ','), ImportLayout.EntryPerRow);
        var batch = await BatchAsync(id);

        Assert.Equal(
            [("Child name", DropReason.IdentifyingHeader), ("Guardian phone", DropReason.IdentifyingHeader), ("Remarks", DropReason.IdentifyingCells)],
            batch.Dropped.Select(d => (d.Header, d.Reason)));
        Assert.DoesNotContain(batch.Columns, c => c.Header is "Child name" or "Guardian phone" or "Remarks");
        var page = await (await browser.Get($"/imports/{id}")).ReadAsTextAsync();
        Assert.Contains("Columns left out", page, StringComparison.Ordinal);

        await CheckAsync(browser, id);
        var done = await ImportAsync(browser, id);
        Assert.Equal(3, done.Cases);

        // The note with a phone number was left out of its row; the others were kept.
        var notes = (await Host.Services.GetRequiredService<IDocumentStore>().QuerySession().Query<JusticeTracker.Cases.Reading.CaseEntryView>().ToListAsync()).Select(v => v.AsRecorded().Event.Entry.Note).ToList();
        Assert.Equal(["Police visited the home twice.", "The hearing was adjourned."], notes.OfType<string>().Order());

        await Fixture.CatchUpAsync();
        var data = Host.Services.GetRequiredService<NpgsqlDataSource>();
        foreach (var text in new[] { "Wanjiku", "Otieno", "Akinyi", "712 345678", "Achieng", "Njeri", "Mwangi", "0712 999 888" })
        {
            Assert.Empty(await DatabaseTraces.FindAsync(data, text));
        }
    }

    [Fact]
    public async Task a_legal_expert_undoes_an_import_and_nothing_of_its_cases_is_left()
    {
        var rows = Enumerable.Range(0, 5).Select(i => CaseRow("2023-03", "12-14", "Female", "Trafficking", "2023-04", "Police", "2024", "Convicted")).ToList();
        var lawyer = await SignedIn();
        var kept = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        var id = await UploadAsync(lawyer, "undo.xlsx", Xlsx(CaseHeaders("en"), rows), ImportLayout.CasePerRow);
        await CheckAsync(lawyer, id);
        await ImportAsync(lawyer, id);
        Assert.Equal(6, (await CasesAsync()).Count);

        // A member lawyer may not undo; a legal expert may.
        var refused = await lawyer.PostForm($"/imports/{id}?handler=Undo", [], formPage: $"/imports/{id}");
        Assert.Contains("/access-denied", refused.Context.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        Assert.Equal(BatchStatus.Done, (await BatchAsync(id)).Status);
        var expert = await SignedIn("demo-legal-expert");
        await expert.PostForm($"/imports/{id}?handler=Undo", [], formPage: $"/imports/{id}");
        await Until(id, BatchStatus.Undone);

        Assert.Equal([kept.CaseId], (await CasesAsync()).Select(c => c.Id));
        await using (var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("SELECT count(*) FROM jt.mt_events WHERE headers->>'importBatch' = $1", connection))
        {
            command.Parameters.AddWithValue(id.ToString());
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }

        var erasures = await Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(Action: AuditActions.CaseErase), 1, 20, CancellationToken.None);
        Assert.Equal(5, erasures.Entries.Count(e => e.Detail == "ImportUndone" && e.UserId == "demo-legal-expert" && e.CaseReference is not null && e.CorrelationId == id.ToString()));

        await Fixture.CatchUpAsync();
        var failures = new List<string>();
        var timelines = await StatisticsRecomputation.FoldAsync(Store, []);
        Assert.Single(timelines);
        StatisticsRecomputation.Diff("after the undo", StatisticsRecomputation.Sum(timelines.Values.Select(t => t[^1].Facts)), await StatisticsRecomputation.ReadAsync(Host.Services.GetRequiredService<NpgsqlDataSource>(), null), failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task undoing_an_import_leaves_a_case_that_moved_to_another_organisation_since()
    {
        var rows = Enumerable.Range(0, 3).Select(i => CaseRow("2023-03", "12-14", "Female", "Trafficking", "2023-04", "Police", null, null)).ToList();
        var lawyer = await SignedIn();
        var id = await UploadAsync(lawyer, "moved.xlsx", Xlsx(CaseHeaders("en"), rows), ImportLayout.CasePerRow);
        await CheckAsync(lawyer, id);
        await ImportAsync(lawyer, id);
        var moved = (await CasesAsync()).First();
        await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new RequestTransfer(Guid.NewGuid(), "org-ug-1", null, TransferReason.ChildMoved, ConsentBasis.Guardian, Directly: true))
                .ToUrl($"/api/cases/{moved.Id}/transfers");
            x.StatusCodeShouldBeOk();
        });

        var expert = await SignedIn("demo-legal-expert");
        await expert.PostForm($"/imports/{id}?handler=Undo", [], formPage: $"/imports/{id}");
        await Until(id, BatchStatus.Undone);

        // The other organisation's case stays, and the log says why two of three were erased.
        var left = Assert.Single(await CasesAsync());
        Assert.Equal((moved.Id, "org-ug-1"), (left.Id, left.OrganisationId));
        var undone = await Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(Action: AuditActions.ImportUndo), 1, 20, CancellationToken.None);
        Assert.Contains(undone.Entries, e => e.Detail == "2 cases erased, 1 kept (moved to another organisation)");
    }

    [Fact]
    public async Task the_same_file_again_is_refused_and_racing_confirmations_import_it_once()
    {
        var rows = Enumerable.Range(0, 3).Select(i => CaseRow("2023-03", "12-14", "Female", "Trafficking", "2023-04", "Police", null, null)).ToList();
        var bytes = Xlsx(CaseHeaders("en"), rows);
        var browser = await SignedIn();
        var id = await UploadAsync(browser, "once.xlsx", bytes, ImportLayout.CasePerRow);
        await CheckAsync(browser, id);

        // Eight confirmations at once, as a double-clicking browser and its retries send them.
        var page = await (await browser.Get($"/imports/{id}")).ReadAsTextAsync();
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var confirmations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Host.Scenario(x =>
        {
            x.Post.FormData(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }).ToUrl($"/imports/{id}").QueryString("handler", "Confirm");
            x.WithRequestHeader("Cookie", browser.CookieHeader);
            x.IgnoreStatusCode();
        })));
        Assert.All(confirmations, c => Assert.Equal(302, c.Context.Response.StatusCode));
        await Until(id, BatchStatus.Done);
        Assert.Equal(3, (await CasesAsync()).Count);

        var again = await browser.PostFile("/imports", new() { ["Layout"] = "CasePerRow" }, "once-renamed.xlsx", bytes);
        Assert.Equal($"/imports/{id}", again.Context.Response.Headers.Location.ToString());
        await using var session = Store.QuerySession();
        Assert.Equal(1, await session.Query<ImportBatch>().CountAsync());
        var audit = await Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(Action: AuditActions.ImportRun), 1, 10, CancellationToken.None);
        Assert.Single(audit.Entries, e => e.CorrelationId == id.ToString());
    }

    [Fact]
    public async Task two_uploads_of_one_file_that_raced_each_other_import_it_once()
    {
        var bytes = Xlsx(CaseHeaders("en"), [CaseRow("2023-03", "12-14", "Female", "Trafficking", "2023-04", "Police", null, null)]);
        var browser = await SignedIn();
        var first = await UploadAsync(browser, "twice.xlsx", bytes, ImportLayout.CasePerRow);
        await CheckAsync(browser, first);

        // Two uploads sent at once both pass the check for an earlier batch of the file: the
        // second batch is made here as that race would have made it.
        var second = Guid.NewGuid();
        await using (var session = Store.LightweightSession())
        {
            var batch = (await session.LoadAsync<ImportBatch>(first))!;
            var chunk = (await session.LoadAsync<ImportChunk>(ImportChunk.IdOf(first, 0)))!;
            session.Store(batch with { Id = second });
            session.Store(chunk with { Id = ImportChunk.IdOf(second, 0), BatchId = second });
            await session.SaveChangesAsync();
        }

        await Task.WhenAll(new[] { first, second }.Select(id => browser.PostForm($"/imports/{id}?handler=Confirm", [], formPage: $"/imports/{id}")));
        await Eventually.TrueAsync(async () => (await BatchAsync(first)).Status == BatchStatus.Done || (await BatchAsync(second)).Status == BatchStatus.Done, TimeSpan.FromSeconds(60), () => "no batch was imported");
        Assert.Single(await CasesAsync());
        Assert.Equal([BatchStatus.Checked, BatchStatus.Done], new[] { (await BatchAsync(first)).Status, (await BatchAsync(second)).Status }.Order());
    }

    [Fact]
    public async Task a_run_stopped_part_way_and_started_again_writes_each_case_once()
    {
        const int Count = 250;
        var rows = Enumerable.Range(0, Count).Select(i => CaseRow("2022", "6-11", "Male", "Prostitution", "2023", "Prosecutor", null, null)).ToList();
        var browser = await SignedIn();
        var id = await UploadAsync(browser, "restart.xlsx", Xlsx(CaseHeaders("en"), rows), ImportLayout.CasePerRow);
        var batch = await CheckAsync(browser, id);

        // Marked running as the confirmation marks it, but run here, so the test can stop it: the
        // reference draws of the second hundred cases stop the node, as a deployment would.
        await using (var session = Store.LightweightSession())
        {
            session.Store(batch with { Status = BatchStatus.Running, ConfirmedBy = new Recorder(Lawyer, UserRole.MemberLawyer, Organisation) });
            await session.SaveChangesAsync();
        }

        using var stop = new CancellationTokenSource();
        var draws = 0;
        var stopping = new ReferenceSource(n =>
        {
            if (++draws == 4 * 150)
            {
                stop.Cancel();
            }

            return Random.Shared.Next(n);
        });
        async Task RunAsync(ReferenceSource references, CancellationToken ct) => await RunImportHandler.Handle(
            new RunImport(id), Store, Host.Services.GetRequiredService<AuditLog>(), TimeProvider.System,
            Host.Services.GetRequiredService<PersonalDataCheck>(), Host.Services.GetRequiredService<ImportVocabulary>(), references, NullLogger<ImportBatch>.Instance, ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(stopping, stop.Token));
        var part = (await CasesAsync()).Count;
        Assert.InRange(part, 100, 200);
        Assert.Equal(BatchStatus.Running, (await BatchAsync(id)).Status);

        await RunAsync(new ReferenceSource(Random.Shared.Next), CancellationToken.None);
        await RunAsync(new ReferenceSource(Random.Shared.Next), CancellationToken.None);

        var cases = await CasesAsync();
        Assert.Equal(Count, cases.Count);
        Assert.Equal(Count, cases.Select(c => c.Reference).Distinct().Count());
        Assert.All(cases, c => Assert.Equal(1, c.EntryCount));
        await using (var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        await using (var command = new NpgsqlCommand("SELECT count(*) FROM jt.mt_events WHERE headers->>'importBatch' = $1", connection))
        {
            command.Parameters.AddWithValue(id.ToString());
            Assert.Equal(Count * 2L, (long)(await command.ExecuteScalarAsync())!);
        }

        Assert.Equal((BatchStatus.Done, Count), ((await BatchAsync(id)).Status, (await BatchAsync(id)).Cases));
    }

    [Fact]
    public async Task an_import_whose_node_fails_and_stops_part_way_is_finished_once_by_another_node()
    {
        const int Count = 250;
        var rows = Enumerable.Range(0, Count).Select(i => CaseRow("2022", "6-11", "Male", "Prostitution", "2023", "Prosecutor", null, null)).ToList();

        // Node A: another node of the app on the shared database, whose reference draws fail once
        // it has written its first hundred cases, as a node losing its database would.
        var draws = 0;
        var nodeA = await AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(JusticeTracker.Hosting.CaseStore.ConnectionVariable, AppFixture.ConnectionString);
            builder.UseSetting("Demo:Seed", "false");
            builder.UseSetting("FollowUps:CheckOnEveryChange", "false");
            builder.ConfigureServices(services => services.AddSingleton(new ReferenceSource(n =>
                Interlocked.Increment(ref draws) > 4 * 100 ? throw new InvalidOperationException("The node lost its database.") : Random.Shared.Next(n))));
        });
        try
        {
            var browser = new BrowserSession(nodeA);
            await browser.SignInAs(Lawyer);
            var id = await UploadAsync(browser, "node-a.xlsx", Xlsx(CaseHeaders("en"), rows), ImportLayout.CasePerRow);
            await CheckAsync(browser, id);
            await browser.PostForm($"/imports/{id}?handler=Confirm", [], formPage: $"/imports/{id}");

            // The run failed after its first hundred cases and is scheduled to be tried again;
            // node A stops before it is.
            await Eventually.TrueAsync(async () => (await CasesAsync()).Count == 100 && Volatile.Read(ref draws) > 400, TimeSpan.FromSeconds(30), () => $"node A wrote {draws / 4} cases");
            await nodeA.DisposeAsync();
            nodeA = null;
            Assert.Equal(BatchStatus.Running, (await BatchAsync(id)).Status);

            // The shared host takes the stored message and finishes the import: every case once.
            var done = await Until(id, BatchStatus.Done);
            var cases = await CasesAsync();
            Assert.Equal((Count, Count), (cases.Count, done.Cases));
            Assert.Equal(Count, cases.Select(c => c.Reference).Distinct().Count());
            Assert.All(cases, c => Assert.Equal(1, c.EntryCount));
            var audit = await Host.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter(Action: AuditActions.ImportRun), 1, 10, CancellationToken.None);
            Assert.Single(audit.Entries, e => e.CorrelationId == id.ToString());
        }
        finally
        {
            if (nodeA is not null)
            {
                await nodeA.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task a_file_too_large_or_not_a_sheet_or_of_another_organisation_is_refused_with_a_clear_message()
    {
        var browser = await SignedIn();
        var big = await browser.PostFile("/imports", new() { ["Layout"] = "CasePerRow" }, "big.csv", new byte[11 * 1024 * 1024], status: 200);
        Assert.Contains("The file is larger than 10 MB.", await big.ReadAsTextAsync(), StringComparison.Ordinal);
        var notASheet = await browser.PostFile("/imports", new() { ["Layout"] = "CasePerRow" }, "cases.pdf", Encoding.UTF8.GetBytes("%PDF-1.4"), status: 200);
        Assert.Contains("Upload an .xlsx or .csv file.", await notASheet.ReadAsTextAsync(), StringComparison.Ordinal);
        var broken = await browser.PostFile("/imports", new() { ["Layout"] = "CasePerRow" }, "cases.xlsx", Encoding.UTF8.GetBytes("not a zip at all"), status: 200);
        Assert.Contains("could not be read as a spreadsheet", await broken.ReadAsTextAsync(), StringComparison.Ordinal);

        // A member lawyer's batch cannot be reached by another organisation's lawyer, nor its id guessed.
        var id = await UploadAsync(browser, "mine.xlsx", Xlsx(CaseHeaders("en"), [CaseRow("2023", "6-11", "Male", "Prostitution", null, null, null, null)]), ImportLayout.CasePerRow);
        var other = await SignedIn("demo-lawyer-ug-1");
        await other.Get($"/imports/{id}", status: 404);
        await other.PostForm($"/imports/{id}?handler=Confirm", [], status: 404, formPage: "/imports");
        Assert.DoesNotContain("mine.xlsx", await (await other.Get("/imports")).ReadAsTextAsync(), StringComparison.Ordinal);
    }
}
