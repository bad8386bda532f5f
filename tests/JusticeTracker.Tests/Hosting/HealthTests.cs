using System.Text.Json;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Hosting;

/// <summary>The platform's probes: open to it without a sign-in, silent about cases, kept out of the audit log.</summary>
public sealed class HealthTests(AppFixture fixture) : AppTest(fixture)
{
    [Fact]
    public async Task the_live_probe_answers_without_a_sign_in()
    {
        await Host.Scenario(x =>
        {
            x.Get.Url("/health/live");
            x.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task the_ready_probe_reports_the_database_and_the_projections_lag_and_nothing_of_any_case()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Fixture.CatchUpAsync();

        var result = await Host.Scenario(x =>
        {
            x.Get.Url("/health/ready");
            x.StatusCodeShouldBeOk();
        });
        var body = await result.ReadAsTextAsync();
        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks");

        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.True(checks.GetProperty("projections").GetProperty("data").GetProperty("lag").GetInt64() >= 0);
        Assert.DoesNotContain(opened.Reference, body, StringComparison.Ordinal);
        Assert.DoesNotContain(opened.CaseId.ToString(), body, StringComparison.Ordinal);
    }
}
