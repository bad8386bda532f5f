using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>A member lawyer follows a data-quality finding to the case, corrects the record, and the finding goes.</summary>
public sealed class QualityJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_lawyer_follows_a_finding_to_the_case_corrects_the_profile_and_the_finding_goes()
    {
        await using var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1");
        var page = lawyer.Page;

        // A new case whose foreign-offender fact is not known yet.
        var opened = await lawyer.OpenCaseAsync();

        await page.Locator("nav.main a[href='/quality']").ClickAsync();
        await lawyer.WaitForPathAsync("/quality");
        await page.Locator("a[href*='rule=ProfileUnknown']").ClickAsync();
        await lawyer.WaitForPathAsync("/quality\\?.*rule=ProfileUnknown.*");
        var row = page.Locator("main table tbody tr", new() { Has = page.Locator($"a:text-is('{opened.Reference}')") });
        await Expect(row).ToContainTextAsync("Profile facts left as Unknown: Foreign offender");
        await lawyer.ShotAsync("finding");

        // The finding leads to the case; the profile is corrected there.
        await row.Locator("a").ClickAsync();
        await lawyer.WaitForPathAsync(opened.Path);
        await lawyer.GoToAsync($"{opened.Path}/profile");
        await page.ChooseAsync("Form.ForeignOffender", "No");
        await page.FillAsync("#Reason", "Confirmed with the prosecutor.");
        await lawyer.SubmitAsync(page.Locator("form.case-form button[type='submit']"), expectRedirect: true);
        await lawyer.WaitForPathAsync(opened.Path);

        await lawyer.GoToAsync("/quality?rule=ProfileUnknown");
        await Expect(page.Locator($"main a:text-is('{opened.Reference}')")).ToHaveCountAsync(0);
        await lawyer.ShotAsync("corrected");
    }

    [Fact]
    public async Task A_legal_expert_counts_the_networks_data_quality_and_follows_an_organisation_to_its_cases()
    {
        await using var expert = await Fixture.VisitAsync("demo-legal-expert");
        var page = expert.Page;

        await expert.GoToAsync("/quality");
        await page.Locator("main a[href='/quality/network']").ClickAsync();
        await expert.WaitForPathAsync("/quality/network");
        await expert.SubmitAsync(page.Locator("main form button[type='submit']"), expectRedirect: true);
        await expert.WaitForPathAsync("/quality/network");
        await Expect(page.Locator("p[role='status']")).ToContainTextAsync("cases");
        await Expect(page.Locator("#organisations + table tbody tr")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#history + table tbody tr")).ToHaveCountAsync(1);
        await expert.ShotAsync("network");

        await page.Locator("#organisations + table tbody tr th a").First.ClickAsync();
        await expert.WaitForPathAsync("/quality\\?organisation=.*");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Data quality");
    }
}
