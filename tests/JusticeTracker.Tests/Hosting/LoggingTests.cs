using JusticeTracker.Cases;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Hosting;

public sealed class LoggingTests(AppFixture fixture) : AppTest(fixture)
{
    /// <summary>A note no log line may ever contain, in accepted, refused and malformed requests alike.</summary>
    private const string Canary = "Canary zebra quokka note";

    [Fact]
    public async Task no_log_line_carries_case_content()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);
        await Host.RecordAs(TestUser.KenyanLawyer, opened.CaseId, Entry(1, new InvestigationOpened(), note: Canary));
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Json(Entry(2, new InvestigationOpened(), note: Canary + " call +254 712 345 678")).ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.StatusCodeShouldBe(400);
        });
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Post.Text("{\"note\":\"" + Canary + "\", broken").ToUrl($"/api/cases/{opened.CaseId}/entries");
            x.WithRequestHeader("Content-Type", "application/json");
            x.StatusCodeShouldBe(400);
        });
        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url($"/api/cases?reference={Uri.EscapeDataString(Canary)}");
            x.StatusCodeShouldBeOk();
        });

        var lines = Fixture.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("/entries", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("quokka", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains(opened.Reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task each_request_is_logged_once_with_its_correlation_id()
    {
        var result = await Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Get.Url("/api/cases");
            x.StatusCodeShouldBeOk();
        });

        var correlationId = result.Context.Response.Headers["X-Correlation-Id"].ToString();
        Assert.False(string.IsNullOrEmpty(correlationId));

        var lines = await Eventually.Get(() => Task.FromResult(Fixture.Logs.Lines), l => l.Any(x => x.Contains(correlationId, StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("HTTP \"GET\" \"/api/cases\" responded 200", StringComparison.Ordinal) && l.Contains(correlationId, StringComparison.Ordinal));
    }
}
