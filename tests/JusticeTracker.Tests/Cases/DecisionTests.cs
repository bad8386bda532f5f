using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Cases;

/// <summary>The decision functions alone: given a case, when a command, then events or problems.</summary>
public sealed class DecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PersonalDataCheck Check = new(new PersonalDataOptions { BlockedWords = ["codename"] });
    private static readonly CurrentUser Lawyer = new("lawyer-ke-1", new HashSet<UserRole> { UserRole.MemberLawyer }, "org-ke-1");
    private static readonly CurrentUser Expert = new("expert-1", new HashSet<UserRole> { UserRole.LegalExpert }, null);
    private static readonly Organisation Kenyan = new("org-ke-1", "Demo", "KE");

    private static Case Given(params CaseEntry[] entries)
    {
        var opened = (CaseOpened)OpenCaseEndpoint.Decide(Scenarios.NewCase(), Lawyer, Kenyan, "KE-2026-TEST", Now).Events.Single();
        var @case = Case.Open(opened);
        var version = 1;
        foreach (var entry in entries)
        {
            var decision = When(@case, entry, note: "Synthetic test note.");
            Assert.False(decision.IsRefused, string.Join("; ", decision.Problems.Select(p => p.English)));
            @case = @case.Record((CaseEntry)decision.Events.Single());
            @case.Version = ++version;
        }

        return @case;
    }

    private static Decision When(Case @case, CaseEntry details, string date = "2025-01-15", string? note = null, Guid? corrects = null, string? reason = null, DatePrecision precision = DatePrecision.Day) =>
        RecordEntryEndpoint.Decide(
            @case,
            new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), precision), details, note, corrects, reason),
            Lawyer.AsRecorder(),
            Now,
            Check);

    private static void RefusedOn(Decision decision, string field, string containing)
    {
        Assert.True(decision.IsRefused);
        Assert.Contains(field, decision.Problems.Select(p => p.Field));
        Assert.Contains(decision.Problems, p => p.Field == field && p.English.Contains(containing, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void opening_a_case_records_the_anonymised_profile_and_who_opened_it()
    {
        var decision = OpenCaseEndpoint.Decide(Scenarios.NewCase(), Lawyer, Kenyan, "KE-2026-AAAA", Now);

        var opened = Assert.IsType<CaseOpened>(Assert.Single(decision.Events));
        Assert.Equal("KE", opened.Profile.Country);
        Assert.Equal("org-ke-1", opened.Profile.OrganisationId);
        Assert.Equal(new Recorder("lawyer-ke-1", UserRole.MemberLawyer, "org-ke-1"), opened.OpenedBy);
        Assert.Equal(Now, opened.RecordedAt);
    }

    [Fact]
    public void a_member_lawyer_cannot_open_a_case_for_another_organisation()
    {
        var decision = OpenCaseEndpoint.Decide(Scenarios.NewCase(organisation: "org-ug-1"), Lawyer, Kenyan, "KE-2026-AAAA", Now);

        RefusedOn(decision, "organisationId", "your own organisation");
    }

    [Fact]
    public void opening_refuses_a_bad_country_no_forms_and_a_future_start()
    {
        var command = Scenarios.NewCase(country: "XX") with { Forms = [], ExploitationBegan = new FuzzyDate(new DateOnly(2027, 6, 1), DatePrecision.Month) };

        var decision = OpenCaseEndpoint.Decide(command, Expert, Kenyan, "XX-2026-AAAA", Now);

        RefusedOn(decision, "country", "ISO 3166");
        RefusedOn(decision, "forms", "at least one");
        RefusedOn(decision, "exploitationBegan", "future");
    }

    [Fact]
    public void an_entry_keeps_when_it_happened_with_its_precision_and_who_recorded_it_when()
    {
        var decision = When(Given(), new ReportedToAuthorities(ReportChannel.HotlineReferral), date: "2025-02-20", precision: DatePrecision.Month);

        var reported = Assert.IsType<ReportedToAuthorities>(Assert.Single(decision.Events));
        Assert.Equal(new FuzzyDate(new DateOnly(2025, 2, 1), DatePrecision.Month), reported.Entry.Occurred);
        Assert.Equal(Now, reported.Entry.RecordedAt);
        Assert.Equal(Lawyer.AsRecorder(), reported.Entry.RecordedBy);
    }

    [Fact]
    public void a_date_in_the_future_is_refused_but_today_anywhere_on_earth_is_not()
    {
        RefusedOn(When(Given(), new InvestigationOpened(), date: "2026-12-01"), "occurred", "future");
        Assert.False(When(Given(), new InvestigationOpened(), date: "2026-11-29").IsRefused);
    }

    [Fact]
    public void a_date_before_the_exploitation_began_is_refused()
    {
        RefusedOn(When(Given(), new InvestigationOpened(), date: "2024-02-28"), "occurred", "before the exploitation began");
    }

    [Fact]
    public void a_sentence_needs_a_conviction()
    {
        RefusedOn(When(Given(), new SentenceImposed()), "details", "needs a conviction");
        RefusedOn(When(Given(new VerdictDelivered(VerdictOutcome.Acquitted)), new SentenceImposed()), "details", "needs a conviction");
        Assert.False(When(Given(new VerdictDelivered(VerdictOutcome.PartlyConvicted)), new SentenceImposed()).IsRefused);
    }

    [Fact]
    public void an_appeal_needs_a_verdict_and_a_decision_needs_an_appeal()
    {
        RefusedOn(When(Given(), new AppealFiled()), "details", "needs a verdict");
        RefusedOn(When(Given(new VerdictDelivered(VerdictOutcome.Acquitted)), new AppealDecided(AppealOutcome.Upheld)), "details", "needs an appeal");
    }

    [Fact]
    public void a_payment_needs_an_award()
    {
        RefusedOn(When(Given(), new CompensationPaid(new Money(100, "KES"), true)), "details", "needs an award");
    }

    [Fact]
    public void amounts_must_be_positive_in_a_real_currency()
    {
        var decision = When(Given(), new CompensationAwarded(new Money(-5, "KSH")));

        RefusedOn(decision, "details.amount.amount", "more than zero");
        RefusedOn(decision, "details.amount.currency", "ISO 4217");
    }

    [Fact]
    public void a_note_with_personal_data_is_refused_with_the_reason()
    {
        RefusedOn(When(Given(), new InvestigationOpened(), note: "Mother reachable on +254 712 345 678"), "note", "phone number");
        RefusedOn(When(Given(), new InvestigationOpened(), note: "Write to someone@example.org"), "note", "e-mail");
        RefusedOn(When(Given(), new InvestigationOpened(), note: "Passport A1234567 seized"), "note", "identity");
        RefusedOn(When(Given(), new InvestigationOpened(), note: "Codename used by police"), "note", "codename");
        Assert.False(When(Given(), new InvestigationOpened(), note: "Police unit for child protection took over.").IsRefused);
    }

    [Fact]
    public void a_stage_that_is_not_on_the_barriers_track_is_refused()
    {
        RefusedOn(When(Given(), new BarrierRecorded(Track.Compensation, Stage.TrialOpened, BarrierCategory.Delay, BarrierSeverity.Delayed)), "details.blockedStage", "not on the track the barrier blocks");
    }

    [Fact]
    public void an_other_barrier_needs_a_note_and_overcoming_says_how()
    {
        RefusedOn(When(Given(), new BarrierRecorded(Track.CriminalJustice, null, BarrierCategory.Other, BarrierSeverity.Blocked)), "note", "Describe the barrier");
        var @case = Given(new BarrierRecorded(Track.CriminalJustice, Stage.Reported, BarrierCategory.ReportingFear, BarrierSeverity.Blocked));
        var barrier = @case.Entries[^1].Id;

        RefusedOn(When(@case, new BarrierOvercome(barrier)), "note", "how the barrier was overcome");
        var overcome = When(@case, new BarrierOvercome(barrier), note: "Support person accompanied the child.");
        Assert.Empty(@case.Record((CaseEntry)overcome.Events.Single()).OpenBarriers);
    }

    [Fact]
    public void a_barrier_cannot_be_overcome_twice()
    {
        var @case = Given(new BarrierRecorded(Track.Recovery, null, BarrierCategory.Cost, BarrierSeverity.Delayed));
        var barrier = @case.Entries[^1].Id;
        @case = @case.Record((CaseEntry)When(@case, new BarrierOvercome(barrier), note: "Fees waived.").Events.Single());

        RefusedOn(When(@case, new BarrierOvercome(barrier), note: "Again."), "details.barrierId", "already overcome");
    }

    [Fact]
    public void a_limitation_date_is_recorded_on_its_track_and_may_lie_in_the_future()
    {
        var decision = When(Given(), new LimitationDateRecorded(Track.Compensation, new DateOnly(2028, 3, 14)), date: "2026-11-20");

        var limitation = Assert.IsType<LimitationDateRecorded>(Assert.Single(decision.Events));
        Assert.Equal(new DateOnly(2028, 3, 14), limitation.Expires);
        Assert.Equal(Track.Compensation, limitation.Track);
        Assert.Equal(TrackStatus.Open, Given().Record(limitation).StatusOf(Track.Compensation));
        Assert.False(When(Given(), new LimitationDateRecorded(Track.CriminalJustice, new DateOnly(2025, 1, 15))).IsRefused);
    }

    [Fact]
    public void a_limitation_date_before_the_date_it_was_set_is_refused()
    {
        var decision = When(Given(), new LimitationDateRecorded(Track.CriminalJustice, new DateOnly(2025, 1, 14)));

        RefusedOn(decision, "details.expires", "The limitation date cannot be before the date it was set.");
        Assert.Single(decision.Problems);
    }

    [Fact]
    public void a_limitation_date_is_refused_on_a_closed_track()
    {
        var @case = Given(new ReportedToAuthorities(ReportChannel.Police), new NeedsAssessed(), new TrackClosed(Track.CriminalJustice, CriminalClosureReason.InsufficientEvidence));

        RefusedOn(When(@case, new LimitationDateRecorded(Track.CriminalJustice, new DateOnly(2030, 1, 1))), "details", "track is closed");
    }

    [Fact]
    public void a_criminal_track_closes_with_a_reason_and_then_refuses_new_entries_until_reopened()
    {
        RefusedOn(When(Given(new ReportedToAuthorities(ReportChannel.Police)), new TrackClosed(Track.CriminalJustice, null)), "details.reason", "why the criminal justice track closed");
        var @case = Given(new ReportedToAuthorities(ReportChannel.Police), new NeedsAssessed(), new TrackClosed(Track.CriminalJustice, CriminalClosureReason.InsufficientEvidence));

        Assert.Equal(TrackStatus.Closed, @case.StatusOf(Track.CriminalJustice));
        Assert.Equal(CaseStatus.Open, @case.Status);
        RefusedOn(When(@case, new InvestigationOpened()), "details", "track is closed");
        Assert.False(When(@case, new TrackReopened(Track.CriminalJustice), note: "New evidence.").IsRefused);
    }

    [Fact]
    public void a_case_is_closed_when_its_last_open_track_closes_and_reopens_with_a_reason()
    {
        var @case = Given(new ReportedToAuthorities(ReportChannel.Police), new TrackClosed(Track.CriminalJustice, CriminalClosureReason.WithdrawnByFamily));

        Assert.Equal(CaseStatus.Closed, @case.Status);
        RefusedOn(When(@case, new NeedsAssessed()), "details", "case is closed");
        RefusedOn(When(@case, new CaseReopened()), "note", "why the case is reopened");
        Assert.False(When(@case, new CaseReopened(), note: "Family asked to resume.").IsRefused);
    }

    [Fact]
    public void closing_a_case_closes_its_open_tracks_and_reopening_restores_them()
    {
        var @case = Given(new ReportedToAuthorities(ReportChannel.Police), new NeedsAssessed(), new CaseClosed(), new CaseReopened());

        Assert.Equal(CaseStatus.Open, @case.Status);
        Assert.Equal(TrackStatus.Open, @case.StatusOf(Track.CriminalJustice));
        Assert.Equal(TrackStatus.Open, @case.StatusOf(Track.Recovery));
        Assert.Equal(TrackStatus.NotStarted, @case.StatusOf(Track.Compensation));
    }

    [Fact]
    public void a_retraction_names_a_standing_entry_and_cannot_orphan_a_sentence()
    {
        var @case = Given(new VerdictDelivered(VerdictOutcome.Convicted), new SentenceImposed());
        var verdict = @case.Entries[0].Id;

        RefusedOn(When(@case, new EntryRetracted(verdict), note: "Wrong case."), "details", "sentence needs a conviction");
        RefusedOn(When(@case, new EntryRetracted(Guid.NewGuid()), note: "Wrong case."), "details.retractedEntryId", "no entry");
    }

    [Fact]
    public void a_retracted_entry_stays_on_the_case_but_no_longer_counts()
    {
        var @case = Given(new ReportedToAuthorities(ReportChannel.Police));
        var reported = @case.Entries[0].Id;
        @case = @case.Record((CaseEntry)When(@case, new EntryRetracted(reported), note: "Recorded on the wrong case.").Events.Single());

        Assert.Equal(2, @case.Entries.Count);
        Assert.False(@case.Find(reported)!.IsStanding);
        Assert.Null(@case.Tracks.Single(t => t.Track == Track.CriminalJustice).Stage);
    }

    [Fact]
    public void a_correction_is_the_same_kind_with_a_reason_and_supersedes_the_original()
    {
        var @case = Given(new VerdictDelivered(VerdictOutcome.Acquitted));
        var verdict = @case.Entries[0].Id;

        RefusedOn(When(@case, new SentenceImposed(), corrects: verdict, reason: "Typo"), "corrects", "same kind");
        RefusedOn(When(@case, new VerdictDelivered(VerdictOutcome.Convicted), corrects: verdict), "correctionReason", "why");
        var decision = When(@case, new VerdictDelivered(VerdictOutcome.Convicted), corrects: verdict, reason: "The court record says convicted.");
        @case = @case.Record((CaseEntry)decision.Events.Single());

        Assert.False(@case.Find(verdict)!.IsStanding);
        Assert.True(Assert.Single(@case.StandingOf<VerdictDelivered>()).IsConviction);
        Assert.False(When(@case, new SentenceImposed()).IsRefused);
    }

    [Fact]
    public void a_service_cannot_end_before_it_started()
    {
        RefusedOn(When(Given(), new ServiceEnded(RecoveryService.EmergencyShelter)), "details", "cannot end before it started");
        Assert.False(When(Given(new ServiceStarted(RecoveryService.EmergencyShelter)), new ServiceEnded(RecoveryService.EmergencyShelter)).IsRefused);
    }

    [Fact]
    public void the_summary_shows_the_furthest_stage_of_each_track()
    {
        var @case = Given(new ReportedToAuthorities(ReportChannel.Police), new ChargesFiled(), new InvestigationOpened(), new InformedOfCompensationRight());

        Assert.Equal(Stage.ChargesFiled, @case.Tracks.Single(t => t.Track == Track.CriminalJustice).Stage);
        Assert.Equal(Stage.InformedOfRight, @case.Tracks.Single(t => t.Track == Track.Compensation).Stage);
        Assert.Equal(TrackStatus.NotStarted, @case.StatusOf(Track.Recovery));
    }

    [Fact]
    public void rights_are_assessed_one_by_one()
    {
        var decision = When(Given(), new RightAssessed(ChildRight.Privacy, RightRespect.PartlyRespected));

        var assessed = Assert.IsType<RightAssessed>(Assert.Single(decision.Events));
        Assert.Equal(ChildRight.Privacy, assessed.Right);
    }
}
