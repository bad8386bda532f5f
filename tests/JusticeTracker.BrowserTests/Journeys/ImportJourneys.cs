using System.Text;
using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>A member lawyer moves a spreadsheet in; a legal expert undoes it. Every page is checked with axe, at 1280 and 360 px.</summary>
public sealed class ImportJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>A small sheet as a lawyer keeps it: French headers, semicolons, a column of names, and a bad row.</summary>
    private const string Sheet =
        "Nom de l'enfant;Pays;Début de l'exploitation;Tranche d'âge;Sexe;Formes d'exploitation;Signalé aux autorités;Signalé aux autorités : précision;Remarques\r\n" +
        "Wanjiku Kamau;KE;2023-02;12-14;Féminin;Traite à des fins sexuelles;15/03/2023;Police;Audience reportée deux fois.\r\n" +
        "Otieno Odhiambo;KE;2023-05;6-11;Masculin;Exploitation dans la prostitution;2023-06;Procureur;\r\n" +
        "Akinyi Wafula;KE;2023-07;40-45;Féminin;Traite à des fins sexuelles;2023-08;Police;\r\n";

    [Fact]
    public async Task A_lawyer_imports_a_sheet_through_the_mapping_and_the_dry_run_and_a_legal_expert_undoes_it()
    {
        List<AxeViolation> violations = [];
        List<string> overflowing = [];
        var file = Path.Combine(Path.GetTempPath(), $"cas-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(file, Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Sheet)).ToArray());
        string batchPath;
        await using (var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1", bypassCsp: true))
        {
            var page = lawyer.Page;
            await page.Locator("nav.main a[href='/imports']").ClickAsync();
            await lawyer.WaitForPathAsync("/imports");
            await CheckAsync(lawyer, "upload");

            // A template comes in the reader's language, with its instructions sheet.
            var template = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[href*='handler=Template'][href*='layout=CasePerRow'][href*='format=Xlsx']").ClickAsync());
            Assert.Equal("justicetracker-cases-en.xlsx", template.SuggestedFilename);

            await page.SetInputFilesAsync("#file", file);
            await page.Locator("form[enctype] button[type='submit']").ClickAsync();
            await lawyer.WaitForPathAsync("/imports/[0-9a-f-]{36}");
            batchPath = new Uri(page.Url).AbsolutePath;

            // The names column never reached the mapping; the others are matched from their French headers.
            await Expect(page.Locator("main ul li strong")).ToHaveTextAsync("Nom de l'enfant");
            await Expect(page.Locator("table.mapping tbody tr")).ToHaveCountAsync(8);
            await Expect(page.Locator("#Mapping_0")).ToHaveValueAsync("country");
            await Expect(page.Locator("#Mapping_6")).ToHaveValueAsync("ReportedToAuthorities.detail");
            await CheckAsync(lawyer, "mapping");

            await page.Locator("form[action*='handler=Map'] button[type='submit']").ClickAsync();
            await lawyer.WaitForPathAsync("/imports/[0-9a-f-]{36}#check");
            await Expect(page.Locator("#check + ul li").First).ToHaveTextAsync("2 cases opened");
            await Expect(page.Locator("main table tbody tr").Nth(2)).ToContainTextAsync("Tranche d'âge");
            await CheckAsync(lawyer, "dry-run");

            await page.Locator("form[action*='handler=Confirm'] button").ClickAsync();
            await lawyer.WaitForPathAsync(batchPath);
            await Expect(page.Locator("main dl.profile dd").Last).ToHaveTextAsync("Imported", new() { Timeout = 60_000 });
            await CheckAsync(lawyer, "imported");

            // The imported cases are the lawyer's, with their milestones.
            await lawyer.GoToAsync("/cases?stage=Reported");
            Assert.True(await page.Locator("table.cases tbody tr").CountAsync() >= 2);
        }

        await using (var expert = await Fixture.VisitAsync("demo-legal-expert", bypassCsp: true))
        {
            await expert.GoToAsync(batchPath);
            await CheckAsync(expert, "undo-offered");
            await expert.Page.Locator("form[action*='handler=Undo'] button").ClickAsync();
            await Expect(expert.Page.Locator("main dl.profile dd").Last).ToHaveTextAsync("Undone", new() { Timeout = 60_000 });
            await expert.ShotAsync("undone");
        }

        File.Delete(file);
        Assert.True(violations.Count == 0, $"axe found {violations.Count} serious or critical violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        Assert.True(overflowing.Count == 0, $"At {Visit.NarrowWidth} px these pages scroll sideways:{Environment.NewLine}{string.Join(Environment.NewLine, overflowing)}");

        async Task CheckAsync(Visit visit, string label)
        {
            await visit.ShotAsync(label);
            violations.AddRange(await visit.CheckAsync(label));
            if (await visit.OverflowAtAsync(Visit.NarrowWidth) is { } wide)
            {
                overflowing.Add($"{label}: {wide}");
            }

            await visit.ShotAsync(label, Visit.NarrowWidth);
        }
    }
}
