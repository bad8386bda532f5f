using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>A member lawyer reads their organisation's figures, narrows them to what happened in a year, and downloads a table.</summary>
public sealed class FiguresJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_lawyer_reads_their_organisations_figures_and_counts_what_happened_in_a_year()
    {
        await using var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1");
        var page = lawyer.Page;

        await page.Locator("nav.main a[href='/figures']").ClickAsync();
        await lawyer.WaitForPathAsync("/figures");
        await Expect(page.Locator("h1")).ToContainTextAsync("Figures of");
        await Expect(page.Locator("main")).ToContainTextAsync("They are shown exactly");

        // Exact figures: nothing of the organisation's own tables is withheld.
        await Expect(page.Locator("section[aria-labelledby='overview'] td.withheld")).ToHaveCountAsync(0);
        await Expect(page.Locator("section[aria-labelledby='comparison'] tbody tr")).ToHaveCountAsync(3);
        await lawyer.ShotAsync("our-figures");

        // A year, counted by what happened in it.
        var year = (DateTime.UtcNow.Year - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await page.SelectOptionAsync("#year", year);
        await page.SelectOptionAsync("#count", "Happened");
        await page.Locator("form.filters button[type='submit']").ClickAsync();
        await lawyer.WaitForPathAsync("/figures\\?.*count=Happened.*");
        await Expect(page.Locator("p.counted-by")).ToContainTextAsync($"Counted by what happened in {year}");
        await Expect(page.Locator("section[aria-labelledby='funnel-CriminalJustice']")).ToBeVisibleAsync();
        await lawyer.ShotAsync("what-happened");

        // A member lawyer cannot ask for another organisation's figures.
        await lawyer.GoToAsync("/figures?organisation=org-ke-2", status: 403);
    }
}
