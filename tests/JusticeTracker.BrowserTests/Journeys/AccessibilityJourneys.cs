using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>
/// axe-core on every main page, as the people who use it: no serious or critical violation. Each
/// page is also laid out at a phone's 360 px, where nothing may need scrolling sideways (WCAG 1.4.10).
/// </summary>
public sealed class AccessibilityJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Every_main_page_has_no_serious_or_critical_accessibility_violation()
    {
        List<AxeViolation> violations = [];
        List<string> overflowing = [];

        await using (var anonymous = await Fixture.VisitAsync(bypassCsp: true))
        {
            await CheckAsync(anonymous, "/dev/sign-in", "sign-in");
        }

        await using (var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1", bypassCsp: true))
        {
            await CheckAsync(lawyer, "/", "home");
            await CheckAsync(lawyer, "/cases/open", "open-case");
            await CheckAsync(lawyer, "/follow-ups", "follow-ups");
            await CheckAsync(lawyer, "/quality", "data-quality");
            await CheckAsync(lawyer, "/figures", "our-figures");
            await CheckAsync(lawyer, "/cases", "cases");

            // A seeded case has entries on its tracks, barriers and corrections: more markup to check.
            var seeded = await lawyer.FollowFirstCaseAsync();
            await CheckAsync(lawyer, seeded.Path, "case");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=VerdictDelivered", "record-verdict");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=BarrierRecorded", "record-barrier");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=TestimonyGiven", "record-testimony");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=CompensationAwarded", "record-award");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=TrackClosed", "record-close-track");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=KE.WATCHING_BRIEF", "record-kenyan-step");
            await CheckAsync(lawyer, $"{seeded.Path}/profile", "profile");
            await CheckAsync(lawyer, $"{seeded.Path}/transfer", "transfer");
            await CheckAsync(lawyer, "/transfers", "transfers");
        }

        await using (var expert = await Fixture.VisitAsync("demo-legal-expert", bypassCsp: true))
        {
            await CheckAsync(expert, "/", "home");
            await CheckAsync(expert, "/cases?country=PE", "cases-peru");
            var peruvian = await expert.FollowFirstCaseAsync();
            await CheckAsync(expert, $"{peruvian.Path}/erase", "erase-case");
            await CheckAsync(expert, "/reviews", "notes-to-review");
            await CheckAsync(expert, "/quality?organisation=org-pe-1", "data-quality-peru");
            await CheckAsync(expert, "/figures?organisation=org-pe-1", "figures-peru");
            await CheckAsync(expert, "/quality/network", "data-quality-network");
        }

        await using (var analyst = await Fixture.VisitAsync("demo-analyst", bypassCsp: true))
        {
            await CheckAsync(analyst, "/", "home");
            await CheckAsync(analyst, "/statistics", "statistics");
            await CheckAsync(analyst, $"/statistics?year={DateTime.UtcNow.Year - 1}&count=Happened", "statistics-what-happened");
            await CheckAsync(analyst, "/statistics/waits?wait=AssessmentToService&by=Country&groups=KE&groups=PE&groups=PH&groups=GT", "compare-waits");
            await CheckAsync(analyst, "/statistics?place=KE&sex=Male&ageBand=Age6To11", "statistics-too-narrow");
        }

        await using (var admin = await Fixture.VisitAsync("demo-admin", bypassCsp: true))
        {
            await CheckAsync(admin, "/admin/organisations", "organisations");
            await CheckAsync(admin, "/admin/members", "members");
            await CheckAsync(admin, "/admin/audit", "audit");
        }

        Assert.True(violations.Count == 0, $"axe found {violations.Count} serious or critical violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        Assert.True(overflowing.Count == 0, $"At {Visit.NarrowWidth} px these pages scroll sideways:{Environment.NewLine}{string.Join(Environment.NewLine, overflowing)}");

        async Task CheckAsync(Visit visit, string path, string label)
        {
            await visit.GoToAsync(path);
            await visit.ShotAsync(label);
            violations.AddRange(await visit.CheckAsync(path));
            if (await visit.OverflowAtAsync(Visit.NarrowWidth) is { } wide)
            {
                overflowing.Add($"{path}: {wide}");
            }

            await visit.ShotAsync(label, Visit.NarrowWidth);
        }
    }
}
