using System.Text.Json;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Cases;

/// <summary>The pathways as an API client reads them, to send an entry's <c>localStage</c>.</summary>
public sealed class PathwayApiTests(AppFixture fixture) : AppTest(fixture)
{
    [Fact]
    public async Task a_client_reads_a_countrys_steps_and_the_common_step_each_is_recorded_as()
    {
        var senegal = await Host.GetAs<JsonElement>(TestUser.Analyst, "/api/pathways/SN");
        Assert.Equal("CivilLaw", senegal.GetProperty("legalSystem").GetString());
        var step = senegal.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "SN.PARTIE_CIVILE");
        Assert.Equal(("JoinedProceedings", "CivilParty", "Constitution de partie civile"), (step.GetProperty("step").GetString(), step.GetProperty("choice").GetString(), step.GetProperty("name").GetString()));

        var all = await Host.GetAs<JsonElement>(TestUser.KenyanLawyer, "/api/pathways");
        Assert.Equal(8, all.GetArrayLength());

        await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer);
            x.Get.Url("/api/pathways/FR");
            x.StatusCodeShouldBe(404);
        });
    }
}
