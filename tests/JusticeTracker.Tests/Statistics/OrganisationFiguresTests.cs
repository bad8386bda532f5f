using JusticeTracker.Cases;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;
using static JusticeTracker.Tests.Fixtures.Scenarios;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// An organisation's own figures: exactly its cases, in every format, for its members and for
/// legal experts; another organisation's figures in none; the comparison with the network only
/// through disclosure control, and never so that another organisation's few cases can be read.
/// </summary>
public sealed class OrganisationFiguresTests(AppFixture fixture) : AppTest(fixture)
{
    private const string Cost = "Costs of proceedings, travel or documents";
    private const string Corruption = "Corruption or collusion of officials";

    private async Task OpenWithBarrierAsync(TestUser lawyer, int cases, BarrierCategory category)
    {
        for (var i = 0; i < cases; i++)
        {
            var opened = await Host.OpenCaseAs(lawyer);
            await Host.RecordAllAs(lawyer, opened.CaseId, opened.Version, new BarrierRecorded(Track.CriminalJustice, Stage.Reported, category, BarrierSeverity.Delayed));
        }
    }

    private async Task<string> ReadAsync(TestUser user, string url, int status = 200)
    {
        var result = await Host.Scenario(x =>
        {
            x.As(user).Get.Url(url);
            x.StatusCodeShouldBe(status);
        });
        return await result.ReadAsTextAsync();
    }

    /// <summary>A table's rows by their label; a label with a comma comes quoted.</summary>
    private static Dictionary<string, string[]> Csv(string text) =>
        text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => System.Text.RegularExpressions.Regex.Matches(line, "(?:^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)").Select(m => m.Groups[1].Value.Trim('"')).ToArray())
            .ToDictionary(cells => cells[0], cells => cells[1..]);

    [Fact]
    public async Task a_lawyer_sees_exactly_their_organisations_cases_on_the_page_in_csv_and_in_charts()
    {
        // Three of ours, with a cost barrier; two of another Kenyan organisation and one Ugandan, with corruption.
        await OpenWithBarrierAsync(TestUser.KenyanLawyer, 3, BarrierCategory.Cost);
        await OpenWithBarrierAsync(TestUser.OtherKenyanLawyer, 2, BarrierCategory.Corruption);
        await OpenWithBarrierAsync(TestUser.UgandanLawyer, 1, BarrierCategory.Corruption);

        // Counted when asked for from the cases, with no wait for the statistics projection.
        var page = await ReadAsync(TestUser.KenyanLawyer, "/figures");
        Assert.Contains("3 cases match these filters.", page, StringComparison.Ordinal);

        var overview = Csv(await ReadAsync(TestUser.KenyanLawyer, "/figures?handler=Csv&table=overview"));
        Assert.Equal(["3", "100"], overview["All cases"]);
        Assert.Equal(["3", "100"], overview["Cases with at least one barrier"]);

        // Exact, however small: no figure of their own cases is withheld.
        var barriers = Csv(await ReadAsync(TestUser.KenyanLawyer, "/figures?handler=Csv&table=barriers"));
        Assert.Equal("3", barriers[Cost][0]);
        Assert.Equal("0", barriers[Corruption][0]);

        var countries = Csv(await ReadAsync(TestUser.KenyanLawyer, "/figures?handler=Csv&table=countries"));
        Assert.Equal(["Kenya"], countries.Keys);

        var svg = await ReadAsync(TestUser.KenyanLawyer, "/figures?handler=Chart&chart=barriers&format=svg");
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains($"{Cost} 3", svg, StringComparison.Ordinal);
        Assert.Contains($"{Corruption} 0", svg, StringComparison.Ordinal);

        var png = await Host.Scenario(x =>
        {
            x.As(TestUser.KenyanLawyer).Get.Url("/figures?handler=Chart&chart=barriers&format=png");
            x.StatusCodeShouldBeOk();
            x.ContentTypeShouldBe("image/png");
        });
        using var bytes = new MemoryStream();
        await png.Context.Response.Body.CopyToAsync(bytes);
        Assert.Equal("PNG"u8.ToArray(), bytes.ToArray()[1..4]);

        // The other Kenyan organisation's, for a legal expert who chooses it.
        var theirs = Csv(await ReadAsync(TestUser.LegalExpert, "/figures?organisation=org-ke-2&handler=Csv&table=barriers"));
        Assert.Equal("2", theirs[Corruption][0]);
        Assert.Equal("0", theirs[Cost][0]);
        Assert.Contains("2 cases match these filters.", await ReadAsync(TestUser.LegalExpert, "/figures?organisation=org-ke-2"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/figures?organisation=org-ke-2")]
    [InlineData("/figures?organisation=org-ke-2&handler=Csv&table=overview")]
    [InlineData("/figures?organisation=org-ke-2&handler=Chart&chart=barriers&format=svg")]
    [InlineData("/figures?organisation=org-ke-2&handler=Chart&chart=barriers&format=png")]
    public async Task a_lawyer_who_names_another_organisation_is_refused_in_every_format(string url)
    {
        await OpenWithBarrierAsync(TestUser.OtherKenyanLawyer, 1, BarrierCategory.Corruption);
        var body = await ReadAsync(TestUser.KenyanLawyer, url, 403);
        Assert.DoesNotContain(Corruption, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task filters_narrow_the_organisations_figures_and_an_unknown_organisation_is_not_found()
    {
        await OpenWithBarrierAsync(TestUser.KenyanLawyer, 2, BarrierCategory.Cost);
        var boy = await Host.OpenCaseAs(TestUser.KenyanLawyer, NewCase() with { Sex = Sex.Male });

        Assert.Equal("1", Csv(await ReadAsync(TestUser.KenyanLawyer, "/figures?sex=Male&handler=Csv&table=overview"))["All cases"][0]);
        Assert.Equal("2", Csv(await ReadAsync(TestUser.KenyanLawyer, "/figures?sex=Female&handler=Csv&table=overview"))["All cases"][0]);
        Assert.NotEqual(Guid.Empty, boy.CaseId);

        await ReadAsync(TestUser.LegalExpert, "/figures?organisation=org-nowhere", 404);
        var refused = await ReadAsync(TestUser.KenyanLawyer, "/figures?sex=Robot");
        Assert.Contains("Choose a value from the list.", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_network_figure_is_withheld_beside_the_organisations_own_when_it_adds_fewer_than_k_cases()
    {
        // Twelve of ours and one Ugandan case: the network's 13 is published to analysts, but a
        // Kenyan lawyer who knows their own 12 would read the other organisations' 1 from it.
        await OpenWithBarrierAsync(TestUser.KenyanLawyer, 12, BarrierCategory.Cost);
        await OpenWithBarrierAsync(TestUser.UgandanLawyer, 1, BarrierCategory.Cost);
        await Fixture.CatchUpAsync();

        var published = await Host.GetAs<Report>(TestUser.Analyst, "/api/statistics");
        Assert.Equal(13, published.Cases.Value);

        var comparison = Csv(await ReadAsync(TestUser.KenyanLawyer, "/figures?handler=Csv&table=comparison"));
        Assert.Equal("12", comparison["This organisation"][0]);
        Assert.Equal("withheld", comparison["The whole network"][0]);
        Assert.Equal("withheld", comparison["Kenya"][0]);

        // With ten more cases elsewhere, the network's figure adds eleven and is shown.
        await OpenWithBarrierAsync(TestUser.UgandanLawyer, 10, BarrierCategory.Cost);
        await Fixture.CatchUpAsync();
        comparison = Csv(await ReadAsync(TestUser.KenyanLawyer, "/figures?handler=Csv&table=comparison"));
        Assert.Equal("23", comparison["The whole network"][0]);
    }
}
