using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>What a person may reach by typing a URL, and how the interface speaks to them.</summary>
public sealed class AccessJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_member_lawyer_of_another_organisation_gets_not_found_for_a_Kenyan_case_by_its_URL()
    {
        CaseRef kenyan;
        await using (var owner = await Fixture.VisitAsync("demo-lawyer-ke-1"))
        {
            await owner.GoToAsync("/cases?country=KE");
            await owner.ShotAsync("cases-kenya");
            kenyan = await owner.FollowFirstCaseAsync();
            await owner.ShotAsync("kenyan-case");
        }

        await using var other = await Fixture.VisitAsync("demo-lawyer-ug-1");
        await other.GoToAsync(kenyan.Path, status: 404);
        await other.ShotAsync("kenyan-case-denied");
        Assert.DoesNotContain(kenyan.Reference, await other.Page.ContentAsync(), StringComparison.Ordinal);

        await other.GoToAsync($"{kenyan.Path}/record?kind=NeedsAssessed", status: 404);
        Assert.DoesNotContain(kenyan.Reference, await other.Page.ContentAsync(), StringComparison.Ordinal);

        await other.GoToAsync($"/cases?reference={Uri.EscapeDataString(kenyan.Reference)}");
        await Expect(other.Page.Locator("table.cases")).ToHaveCountAsync(0);
        Assert.DoesNotContain(kenyan.Reference, await other.Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await other.ShotAsync("search-kenyan-reference");
    }

    [Fact]
    public async Task Choosing_French_then_Spanish_with_the_language_picker_translates_the_page()
    {
        await using var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1");
        var page = lawyer.Page;
        await lawyer.GoToAsync("/cases");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Cases");
        await lawyer.ShotAsync("cases-en");

        foreach (var (culture, heading) in new[] { ("fr", "Dossiers"), ("es", "Casos") })
        {
            var picker = page.Locator("form.language");
            await picker.Locator("select#culture").SelectOptionAsync(culture);
            await lawyer.SubmitAsync(picker.Locator("button[type='submit']"), expectRedirect: true);
            await lawyer.WaitForPathAsync("/cases");
            await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture);
            await Expect(page.Locator("select#culture")).ToHaveValueAsync(culture);
            await lawyer.ShotAsync($"cases-{culture}");
        }
    }
}
