using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Opening;
using JusticeTracker.Cases.Recording;
using JusticeTracker.Cases.Transferring;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Cases;

/// <summary>The decisions on the entries issue 19 added (offenders, claims, hearings, services, safety, reparation), and on transfers: given a case, when a command, then events or problems.</summary>
public sealed class OffenderDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly PersonalDataCheck Check = new(new PersonalDataOptions());
    private static readonly CurrentUser Lawyer = new("lawyer-ke-1", new HashSet<UserRole> { UserRole.MemberLawyer }, "org-ke-1");
    private static readonly CurrentUser Receiver = new("lawyer-ug-1", new HashSet<UserRole> { UserRole.MemberLawyer }, "org-ug-1");
    private static readonly CurrentUser Expert = new("expert-1", new HashSet<UserRole> { UserRole.LegalExpert }, null);
    private static readonly Organisation Kenyan = new("org-ke-1", "Demo", "KE");
    private static readonly Organisation Ugandan = new("org-ug-1", "Demo UG", "UG");

    private static Case Given(params CaseEntry[] entries)
    {
        var opened = (CaseOpened)OpenCaseEndpoint.Decide(Scenarios.NewCase(), Lawyer, Kenyan, "KE-2026-TEST", Now).Events.Single();
        return And(Case.Open(opened), entries);
    }

    /// <summary>The case with more entries recorded, each decided on the case the ones before left.</summary>
    private static Case And(Case @case, params CaseEntry[] entries)
    {
        foreach (var entry in entries)
        {
            var decision = When(@case, entry);
            Assert.False(decision.IsRefused, string.Join("; ", decision.Problems.Select(p => p.English)));
            var version = @case.Version;
            @case = @case.Record((CaseEntry)decision.Events.Single());
            @case.Version = version + 1;
        }

        return @case;
    }

    private static Decision When(Case @case, CaseEntry details) =>
        RecordEntryEndpoint.Decide(@case, new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), details, "Synthetic test note."), Lawyer.AsRecorder(), Now, Check);

    private static void Refused(Decision decision, string field, string containing)
    {
        Assert.True(decision.IsRefused, "The decision accepted it.");
        Assert.Contains(decision.Problems, p => p.Field == field && p.English.Contains(containing, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void each_offender_has_their_own_proceedings_and_the_case_lists_them_by_number()
    {
        var @case = Given(
            new SuspectArrested(1), new SuspectArrested(2), new ChargesFiled(1), new ChargesFiled(2),
            new PleaEntered(Plea.PleaAgreement, 2), new VerdictDelivered(VerdictOutcome.Convicted, 2, Offence.Trafficking),
            new SentenceImposed(2, SentenceType.Imprisonment, SentenceLength.FiveToTenYears), new VerdictDelivered(VerdictOutcome.Acquitted, 1),
            new AppealFiled(1, Appellant.Prosecution));

        Assert.Equal([1, 2], @case.Offenders.Select(o => o.Number));
        var (first, second) = (@case.Offenders[0], @case.Offenders[1]);
        Assert.Equal((VerdictOutcome.Acquitted, (Offence?)null, Appellant.Prosecution, Stage.AppealFiled), (first.Verdict, first.ConvictedOf, first.AppealedBy!.Value, first.Stage!.Value));
        Assert.Equal((Plea.PleaAgreement, Offence.Trafficking, SentenceType.Imprisonment, SentenceLength.FiveToTenYears, Stage.Sentenced),
            (second.Plea!.Value, second.ConvictedOf!.Value, second.Sentence!.Value, second.Length!.Value, second.Stage!.Value));

        // The criminal track is theirs together: it reached the furthest step of any offender.
        Assert.Equal(Stage.AppealFiled, @case.Tracks.Single(t => t.Track == Track.CriminalJustice).Stage);
    }

    [Fact]
    public void a_sentence_for_an_offender_who_was_not_convicted_is_refused_even_when_another_was()
    {
        var @case = Given(new VerdictDelivered(VerdictOutcome.Convicted, 1, Offence.Rape), new SuspectArrested(2), new VerdictDelivered(VerdictOutcome.Acquitted, 2));

        Refused(When(@case, new SentenceImposed(2, SentenceType.Fine)), "details", "A sentence needs a conviction");
        Assert.False(When(@case, new SentenceImposed(1, SentenceType.Imprisonment, SentenceLength.TenYearsOrMore)).IsRefused);
    }

    [Fact]
    public void an_appeal_for_an_offender_without_a_verdict_and_a_decision_without_that_appeal_are_refused()
    {
        var @case = Given(new VerdictDelivered(VerdictOutcome.Convicted, 1), new ChargesFiled(2), new AppealFiled(1, Appellant.Defence));

        Refused(When(@case, new AppealFiled(2, Appellant.Defence)), "details", "An appeal needs a verdict");
        Refused(When(@case, new AppealDecided(AppealOutcome.Upheld, 2)), "details", "An appeal decision needs an appeal");
        Assert.False(When(@case, new AppealDecided(AppealOutcome.Upheld, 1)).IsRefused);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-1)]
    public void an_offender_number_out_of_sequence_is_refused(int offender)
    {
        var @case = Given(new SuspectArrested(1));

        Refused(When(@case, new ChargesFiled(offender)), "details.offender", "a new one is Offender 2");
    }

    [Fact]
    public void an_offence_with_an_acquittal_and_a_length_without_a_prison_term_are_refused()
    {
        var @case = Given(new VerdictDelivered(VerdictOutcome.Convicted, 1));

        Refused(When(@case, new VerdictDelivered(VerdictOutcome.Acquitted, 1, Offence.Rape)), "details.convictedOf", "only with a conviction");
        Refused(When(@case, new SentenceImposed(1, SentenceType.Fine, SentenceLength.UnderOneYear)), "details.length", "only with a prison term");
    }

    [Fact]
    public void each_award_and_payment_answers_its_claim_and_the_claims_keep_their_routes()
    {
        var @case = Given(new CompensationClaimed(ClaimRoute.CriminalRestitution, new Money(500_000, "KES")));
        var restitution = @case.Claims.Single().Id;

        // With one claim to answer, the decision names it.
        var award = Assert.IsType<CompensationAwarded>(When(@case, new CompensationAwarded(new Money(200_000, "KES"))).Events.Single());
        Assert.Equal(restitution, award.Claim);

        // Several claims: the one answered must be named, must exist, and must be waiting for that answer.
        @case = And(@case, new CompensationClaimed(ClaimRoute.StateFund));
        var fund = @case.Claims[1].Id;
        Refused(When(@case, new CompensationAwarded(new Money(1_000, "KES"))), "details.claim", "Say which claim");
        Refused(When(@case, new CompensationAwarded(new Money(1_000, "KES"), Guid.NewGuid())), "details.claim", "no claim with this id");
        Refused(When(@case, new CompensationPaid(new Money(1_000, "KES"), true, fund)), "details.claim", "needs an award of its claim");

        @case = And(@case, new CompensationAwarded(new Money(1_000, "KES"), restitution));
        Refused(When(@case, new CompensationRejected(ClaimRejectionReason.NotEligible, restitution)), "details.claim", "already decided");

        // The state fund's award is paid; the restitution order is not.
        @case = And(@case, new CompensationAwarded(new Money(2_000, "KES"), fund), new CompensationPaid(new Money(2_000, "KES"), true, fund));
        Assert.Equal([(ClaimRoute.CriminalRestitution, ClaimOutcome.Awarded, false, 500_000m), (ClaimRoute.StateFund, ClaimOutcome.Awarded, true, 0m)],
            @case.Claims.Select(c => (c.Route, c.Outcome!.Value, c.Paid, c.Claimed?.Amount ?? 0)));

        // Both awards can take payments (in parts): a payment must say which it pays.
        Refused(When(@case, new CompensationPaid(new Money(100, "KES"), false)), "details.claim", "Say which claim");
        Assert.False(When(@case, new CompensationPaid(new Money(100, "KES"), false, restitution)).IsRefused);
    }

    [Fact]
    public void a_correction_cannot_move_a_decision_onto_a_claim_already_decided_and_an_old_unnamed_award_keeps_to_its_time()
    {
        var @case = Given(new CompensationClaimed(ClaimRoute.CriminalRestitution), new CompensationClaimed(ClaimRoute.StateFund));
        var (restitution, fund) = (@case.Claims[0].Id, @case.Claims[1].Id);
        @case = And(@case, new CompensationAwarded(new Money(1_000, "KES"), restitution), new CompensationRejected(ClaimRejectionReason.NotEligible, fund));
        var award = @case.Entries.Single(e => e.Event is CompensationAwarded).Id;
        var moved = RecordEntryEndpoint.Decide(@case, new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), new CompensationAwarded(new Money(1_000, "KES"), fund), Corrects: award, CorrectionReason: "Wrong claim."), Lawyer.AsRecorder(), Now, Check);
        Refused(moved, "details.claim", "already decided");
        var kept = RecordEntryEndpoint.Decide(@case, new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), new CompensationAwarded(new Money(2_000, "KES"), restitution), Corrects: award, CorrectionReason: "Amount."), Lawyer.AsRecorder(), Now, Check);
        Assert.False(kept.IsRefused, string.Join("; ", kept.Problems.Select(p => p.English)));

        // An award recorded before the case had any claim answers none, even after a later claim and a recount.
        var early = Given(new CompensationAwarded(new Money(500, "KES")), new CompensationClaimed(ClaimRoute.StateFund), new RightAssessed(ChildRight.Privacy, RightRespect.Respected));
        var right = early.Entries.Single(e => e.Event is RightAssessed).Id;
        var corrected = RecordEntryEndpoint.Decide(early, new RecordEntry(Guid.NewGuid(), early.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), new RightAssessed(ChildRight.Privacy, RightRespect.NotRespected), Corrects: right, CorrectionReason: "Misread."), Lawyer.AsRecorder(), Now, Check);
        var recounted = early.Record((CaseEntry)corrected.Events.Single(), early.Entries);
        Assert.Null(Assert.Single(recounted.Claims).Outcome);
    }

    [Fact]
    public void retracting_a_claim_its_award_answers_or_the_award_its_payment_pays_is_refused()
    {
        var @case = Given(new CompensationClaimed(ClaimRoute.CivilClaim), new CompensationClaimed(ClaimRoute.StateFund));
        var (civil, fund) = (@case.Claims[0].Id, @case.Claims[1].Id);
        @case = And(@case,
            new CompensationAwarded(new Money(1_000, "EUR"), civil), new CompensationAwarded(new Money(1_000, "EUR"), fund),
            new CompensationPaid(new Money(1_000, "EUR"), false, fund));

        var fundAward = @case.Entries.Single(e => e.Event is CompensationAwarded { Claim: var c } && c == fund);
        Refused(When(@case, new EntryRetracted(civil)), "details", "must answer a claim that stands");
        Refused(When(@case, new EntryRetracted(fundAward.Id)), "details", "needs an award of its claim");

        // A claim corrected keeps its answers: they name its first version.
        var corrected = RecordEntryEndpoint.Decide(@case, new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), new CompensationClaimed(ClaimRoute.StateFund, new Money(9_000, "EUR")), Corrects: fund, CorrectionReason: "Amount added."), Lawyer.AsRecorder(), Now, Check);
        Assert.False(corrected.IsRefused, string.Join("; ", corrected.Problems.Select(p => p.English)));
        var after = @case.Record((CaseEntry)corrected.Events.Single(), @case.Entries);
        Assert.Equal((ClaimOutcome.Awarded, true, 9_000m), (after.Claims[1].Outcome!.Value, after.Claims[1].Paid, after.Claims[1].Claimed!.Amount));
        Assert.Null(RecordEntryEndpoint.Inconsistency(after));
    }

    [Fact]
    public void hearings_before_trial_services_safety_and_reparation_are_recorded_and_their_impossible_forms_refused()
    {
        var @case = Given(
            new ChildHeard(HearingSetting.PoliceInterview, [ChildFriendlyMeasure.SupportPerson], 3),
            new ChildHeard(HearingSetting.ChildAdvocacyCentre, [ChildFriendlyMeasure.RecordedInterview]),
            new ServiceReferred(RecoveryService.PsychosocialSupport), new ServiceUnavailable(RecoveryService.EmergencyShelter),
            new ServiceRefused(RecoveryService.Repatriation), new ThreatReported(), new ProtectionOrderIssued(), new ReExploited());

        // A hearing before trial is not a trial: the criminal track is open, with no stage reached by it.
        Assert.Equal((TrackStatus.Open, (Stage?)null), (@case.StatusOf(Track.CriminalJustice), @case.Tracks.Single(t => t.Track == Track.CriminalJustice).Stage));
        Assert.Equal(Stage.ServiceReferred, @case.Tracks.Single(t => t.Track == Track.Recovery).Stage);

        Refused(When(@case, new ChildHeard(HearingSetting.InvestigatingJudge, [], 0)), "details.interviews", "from 1 to 50");
        Refused(When(@case, new ChildHeard(HearingSetting.InvestigatingJudge, [], 51)), "details.interviews", "from 1 to 50");
        Refused(When(@case, new ChildHeard(HearingSetting.InvestigatingJudge, [ChildFriendlyMeasure.Intermediary, ChildFriendlyMeasure.Intermediary])), "details.measures", "once");

        var closed = And(@case, new TrackClosed(Track.Recovery, null));
        Refused(When(closed, new ServiceUnavailable(RecoveryService.MedicalCare)), "details", "track is closed");
        var reparation = RecordEntryEndpoint.Decide(@case, new RecordEntry(Guid.NewGuid(), @case.Version, new FuzzyDate(new DateOnly(2025, 1, 15), DatePrecision.Day), new ReparationOrdered(ReparationKind.Other)), Lawyer.AsRecorder(), Now, Check);
        Refused(reparation, "note", "what reparation was ordered");
    }

    [Fact]
    public void the_statistics_count_what_happened_to_the_offenders_once_per_case()
    {
        var @case = Given(
            new ChargesFiled(1), new ChargesFiled(2), new PleaEntered(Plea.PleaAgreement, 2),
            new VerdictDelivered(VerdictOutcome.Convicted, 1, Offence.Trafficking), new VerdictDelivered(VerdictOutcome.Convicted, 2, Offence.Trafficking),
            new SentenceImposed(1, SentenceType.Imprisonment, SentenceLength.TenYearsOrMore), new SentenceImposed(2, SentenceType.Fine),
            new VerdictDelivered(VerdictOutcome.Convicted, 3, Offence.AbuseMaterial), new SentenceImposed(3, SentenceType.SuspendedImprisonment, SentenceLength.TenYearsOrMore),
            new AppealFiled(1, Appellant.Defence));
        var figures = JusticeTracker.Statistics.Facts.Figures(@case);
        bool Counts(JusticeTracker.Statistics.MeasureName m) => figures.GetValueOrDefault((m.Family, m.Name)) == 1;

        Assert.True(Counts(JusticeTracker.Statistics.Measures.ConvictedOf(Offence.Trafficking)));
        Assert.False(Counts(JusticeTracker.Statistics.Measures.ConvictedOf(Offence.Rape)));
        Assert.True(Counts(JusticeTracker.Statistics.Measures.SentencedTo(SentenceType.Imprisonment)) && Counts(JusticeTracker.Statistics.Measures.SentencedTo(SentenceType.Fine)));
        Assert.True(Counts(JusticeTracker.Statistics.Measures.SentencedFor(SentenceLength.TenYearsOrMore)));
        Assert.False(Counts(JusticeTracker.Statistics.Measures.SentencedFor(SentenceLength.Life)));
        Assert.True(Counts(JusticeTracker.Statistics.Measures.PleaAgreement));
        Assert.True(Counts(JusticeTracker.Statistics.Measures.AppealedBy(Appellant.Defence)));
        Assert.False(Counts(JusticeTracker.Statistics.Measures.AppealedBy(Appellant.Prosecution)));
    }

    [Fact]
    public void retracting_the_conviction_a_sentence_rests_on_is_refused_for_that_offender_only()
    {
        var @case = Given(new VerdictDelivered(VerdictOutcome.Convicted, 1), new SentenceImposed(1, SentenceType.Imprisonment), new VerdictDelivered(VerdictOutcome.Convicted, 2));
        var second = @case.Entries.Single(e => e.Event is VerdictDelivered { Offender: 2 });
        var first = @case.Entries.Single(e => e.Event is VerdictDelivered { Offender: 1 });

        Assert.False(When(@case, new EntryRetracted(second.Id)).IsRefused);
        Refused(When(@case, new EntryRetracted(first.Id)), "details", "A sentence needs a conviction");
    }

    [Fact]
    public void a_transfer_needs_another_active_organisation_a_reason_and_a_basis_and_waits_alone()
    {
        var @case = Given();
        RequestTransfer Request(string to = "org-ug-1") => new(Guid.NewGuid(), to, null, TransferReason.ChildMoved, ConsentBasis.Guardian);

        Refused(TransferCaseEndpoint.Decide(@case, Request("org-ke-1"), Kenyan, Lawyer, Now), "toOrganisation", "already with this organisation");
        Refused(TransferCaseEndpoint.Decide(@case, Request(), Ugandan with { Active = false }, Lawyer, Now), "toOrganisation", "active member organisation");
        Refused(TransferCaseEndpoint.Decide(@case, Request() with { Reason = null, Basis = null }, Ugandan, Lawyer, Now), "basis", "basis");
        Refused(TransferCaseEndpoint.Decide(@case, Request() with { Directly = true }, Ugandan, Lawyer, Now), "directly", "legal experts");

        var asked = TransferCaseEndpoint.Decide(@case, Request(), Ugandan, Lawyer, Now);
        var requested = Assert.IsType<TransferRequested>(Assert.Single(asked.Events));
        Assert.Equal(("org-ke-1", "org-ug-1", "UG"), (requested.FromOrganisation, requested.ToOrganisation, requested.Country));
        @case = @case.WithTransfer(requested);

        Assert.Equal(Refusal.Conflict, TransferCaseEndpoint.Decide(@case, Request("org-ke-2"), Ugandan with { Id = "org-ke-2" }, Lawyer, Now).Refusal);
        Refused(TransferCaseEndpoint.Decide(@case, requested.TransferId, TransferAnswer.Accept, Lawyer, Now), "answer", "receiving organisation");
        Refused(TransferCaseEndpoint.Decide(@case, requested.TransferId, TransferAnswer.Withdraw, Receiver, Now), "answer", "asked for the transfer");

        var accepted = Assert.IsType<TransferAccepted>(Assert.Single(TransferCaseEndpoint.Decide(@case, requested.TransferId, TransferAnswer.Accept, Receiver, Now).Events));
        @case = @case.WithTransfer(accepted);
        Assert.Equal(("org-ug-1", "UG"), (@case.OrganisationId, @case.Country));

        // The same answer again is nothing new; another answer to an answered request is refused.
        Assert.Empty(TransferCaseEndpoint.Decide(@case, requested.TransferId, TransferAnswer.Accept, Receiver, Now).Events);
        Assert.Equal(Refusal.Conflict, TransferCaseEndpoint.Decide(@case, requested.TransferId, TransferAnswer.Decline, Expert, Now).Refusal);
    }
}
