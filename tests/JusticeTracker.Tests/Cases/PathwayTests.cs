using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Pathways;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Hosting;
using JusticeTracker.Statistics;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Cases;

/// <summary>The countries' legal pathways: the profiles as shipped, and entries recorded as a country's own steps.</summary>
public sealed class PathwayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PersonalDataCheck Check = new(new PersonalDataOptions());

    private static Case Opened(string country)
    {
        var organisation = new Organisation($"org-{country.ToLowerInvariant()}-1", "Demo", country);
        var lawyer = new CurrentUser("lawyer-1", new HashSet<UserRole> { UserRole.MemberLawyer }, organisation.Id);
        var opened = (CaseOpened)OpenCaseEndpoint.Decide(Scenarios.NewCase(country, organisation.Id), lawyer, organisation, $"{country}-2026-TEST", Now).Events.Single();
        return Case.Open(opened);
    }

    private static Decision When(Case @case, CaseEntry details, string? localStage) =>
        RecordEntryEndpoint.Decide(
            @case,
            new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), details, LocalStage: localStage),
            new Recorder("lawyer-1", UserRole.MemberLawyer, @case.OrganisationId),
            Now,
            Check);

    private static void Refused(Decision decision, string containing)
    {
        Assert.True(decision.IsRefused, "The decision accepted it.");
        Assert.Contains(decision.Problems, p => p.Field == "localStage" && p.English.Contains(containing, StringComparison.Ordinal));
    }

    [Fact]
    public void the_demo_countries_each_have_a_pathway_in_their_legal_system()
    {
        Assert.Equal(
            ["GT:CivilLaw", "KE:CommonLaw", "NP:Mixed", "PE:CivilLaw", "PH:Mixed", "SN:CivilLaw", "TH:Mixed", "UG:CommonLaw"],
            Pathways.All.Select(p => $"{p.Country}:{p.LegalSystem}").Order(StringComparer.Ordinal));

        // The civil-law steps the common ones lacked: the child as a party, and (in Senegal) the investigating judge.
        Assert.All(Pathways.All.Where(p => p.LegalSystem == LegalSystem.CivilLaw), p => Assert.Contains(p.Stages, s => s.Step == nameof(JoinedProceedings)));
        Assert.Equal(nameof(InvestigationOpened), Pathways.Named("SN.INFORMATION")!.Step);
    }

    [Fact]
    public void every_local_step_maps_to_one_common_step_and_reads_in_every_language()
    {
        foreach (var stage in Pathways.All.SelectMany(p => p.Stages))
        {
            Assert.NotNull(stage.Kind.Stage);
            Assert.Same(stage, Pathways.Named(stage.Code));
            Assert.All(Web.Cultures, language => Assert.False(string.IsNullOrWhiteSpace(stage.Meaning.GetValueOrDefault(language)), $"{stage.Code} has no meaning in {language}."));
            Assert.True(stage.Choice is null || Enum.GetNames(stage.Kind.Choice!).Contains(stage.Choice), stage.Code);
        }

        // Every track a country's lawyers work on offers its own steps.
        Assert.All(Pathways.All, p => Assert.All(Enum.GetValues<Track>().Except([Track.Recovery]), t => Assert.NotEmpty(p.Offered(t))));
    }

    [Fact]
    public void an_entry_recorded_as_a_local_step_keeps_it_and_is_the_common_step()
    {
        var senegal = Opened("SN");
        var decision = When(senegal, new JoinedProceedings(PartyRole.CivilParty), "SN.PARTIE_CIVILE");
        Assert.False(decision.IsRefused, string.Join("; ", decision.Problems.Select(p => p.English)));
        var entry = Assert.IsType<JoinedProceedings>(decision.Events.Single());
        Assert.Equal(("SN.PARTIE_CIVILE", Stage.JoinedProceedings), (entry.Entry.LocalStage, entry.Stage!.Value));

        // The same common step can be recorded without the country's words.
        Assert.False(When(senegal, new InvestigationOpened(), null).IsRefused);
    }

    [Fact]
    public void a_local_step_from_another_country_or_of_another_kind_or_value_is_refused()
    {
        var senegal = Opened("SN");
        Refused(When(senegal, new InvestigationOpened(), "KE.DCI_INVESTIGATION"), "not on the legal pathway");
        Refused(When(senegal, new InvestigationOpened(), "SN.NOTHING"), "not on the legal pathway");
        Refused(When(Opened("FR"), new InvestigationOpened(), "SN.INFORMATION"), "not on the legal pathway");
        Refused(When(senegal, new ChargesFiled(), "SN.INFORMATION"), "another kind of entry");
        Refused(When(senegal, new JoinedProceedings(PartyRole.PrivateProsecutor), "SN.PARTIE_CIVILE"), "always has the value shown");
        Refused(When(senegal, new ProsecutionDeclined(DeclineReason.InsufficientEvidence), "SN.MEDIATION"), "always has the value shown");
    }

    [Fact]
    public void a_correction_keeps_its_entrys_step_after_the_case_moved_to_another_country()
    {
        var civilParty = new JoinedProceedings(PartyRole.CivilParty);
        Assert.Null(Pathways.Problem("KE", civilParty, "SN.PARTIE_CIVILE", correcting: true, kept: "SN.PARTIE_CIVILE"));
        Assert.NotNull(Pathways.Problem("KE", civilParty, "SN.PARTIE_CIVILE", correcting: false));
        Assert.NotNull(Pathways.Problem("KE", new JoinedProceedings(PartyRole.OwnLawyer), "SN.PARTIE_CIVILE", correcting: true, kept: "SN.PARTIE_CIVILE"));
    }

    [Fact]
    public void statistics_count_a_local_step_as_its_common_step()
    {
        // A Senegalese investigating judge and a Kenyan police investigation are both "investigated".
        static IReadOnlyDictionary<FactKey, decimal> Figures(string country, string code, CaseEntry investigation)
        {
            var @case = Opened(country);
            foreach (var (entry, local) in new (CaseEntry, string?)[] { (new ReportedToAuthorities(ReportChannel.Prosecutor), null), (investigation, code) })
            {
                var decision = When(@case, entry, local);
                Assert.False(decision.IsRefused, string.Join("; ", decision.Problems.Select(p => p.English)));
                @case = @case.Record((CaseEntry)decision.Events.Single());
                @case.Version++;
            }

            return Facts.Of(@case);
        }

        var investigated = Measures.Step(Track.CriminalJustice, "Investigated");
        foreach (var (country, code) in new[] { ("SN", "SN.INFORMATION"), ("KE", "KE.DCI_INVESTIGATION") })
        {
            var figures = Figures(country, code, new InvestigationOpened());
            Assert.Contains(figures, f => f.Key.Cell.Country == country && f.Key.Family == investigated.Family && f.Key.Measure == investigated.Name && f.Value == 1);
        }
    }
}
