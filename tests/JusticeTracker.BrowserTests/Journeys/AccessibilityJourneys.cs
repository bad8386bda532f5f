using JusticeTracker.BrowserTests.Fixtures;

namespace JusticeTracker.BrowserTests.Journeys;

/// <summary>axe-core on every main page, as the people who use it: no serious or critical violation.</summary>
public sealed class AccessibilityJourneys(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Every_main_page_has_no_serious_or_critical_accessibility_violation()
    {
        List<AxeViolation> violations = [];

        await using (var anonymous = await Fixture.VisitAsync(bypassCsp: true))
        {
            await CheckAsync(anonymous, "/dev/sign-in", "sign-in");
        }

        await using (var lawyer = await Fixture.VisitAsync("demo-lawyer-ke-1", bypassCsp: true))
        {
            await CheckAsync(lawyer, "/", "home");
            await CheckAsync(lawyer, "/cases/open", "open-case");
            await CheckAsync(lawyer, "/cases", "cases");

            // A seeded case has entries on its tracks, barriers and corrections: more markup to check.
            var seeded = await lawyer.FollowFirstCaseAsync();
            await CheckAsync(lawyer, seeded.Path, "case");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=VerdictDelivered", "record-verdict");
            await CheckAsync(lawyer, $"{seeded.Path}/record?kind=BarrierRecorded", "record-barrier");
        }

        await using (var admin = await Fixture.VisitAsync("demo-admin", bypassCsp: true))
        {
            await CheckAsync(admin, "/admin/organisations", "organisations");
            await CheckAsync(admin, "/admin/members", "members");
            await CheckAsync(admin, "/admin/audit", "audit");
        }

        Assert.True(violations.Count == 0, $"axe found {violations.Count} serious or critical violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");

        async Task CheckAsync(Visit visit, string path, string label)
        {
            await visit.GoToAsync(path);
            await visit.ShotAsync(label);
            violations.AddRange(await visit.CheckAsync(path));
        }
    }
}
