using JusticeTracker.Cases.Erasing;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JusticeTracker.Tests.Cases;

public sealed class RacingErasureTests(AppFixture fixture) : AppTest(fixture)
{
    [Fact]
    public async Task sixteen_identical_erasures_at_once_erase_the_case_once_and_none_fails()
    {
        var opened = await Host.OpenCaseAs(TestUser.KenyanLawyer);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Host.Scenario(x =>
        {
            x.As(TestUser.LegalExpert).Post.Json(new EraseCase(ErasureReason.OpenedInError, opened.Version)).ToUrl($"/api/cases/{opened.CaseId}/erasure");
            x.IgnoreStatusCode();
        })));

        // The first to commit erases it; for the others the case is already gone, which is what they asked for.
        Assert.All(results, r => Assert.Contains(r.Context.Response.StatusCode, new[] { StatusCodes.Status204NoContent, StatusCodes.Status404NotFound }));
        Assert.Contains(results, r => r.Context.Response.StatusCode == StatusCodes.Status204NoContent);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Empty(await session.Events.FetchStreamAsync(opened.CaseId));
        Assert.Single(await session.Events.FetchStreamAsync(CaseErased.StreamId), e => e.Data is CaseErased);
    }
}
