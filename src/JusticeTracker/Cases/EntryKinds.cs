using System.Collections.Frozen;

namespace JusticeTracker.Cases;

/// <summary>
/// One kind of entry, as everything that handles entries sees it.
/// </summary>
/// <param name="Type">The event.</param>
/// <param name="Track">The track it is chosen under on the record form; null for entries across the tracks (those that name a track, such as a barrier, carry it in their values).</param>
/// <param name="Stage">The milestone it marks, if it is one.</param>
/// <param name="Choice">The code its form asks for, if any.</param>
/// <param name="OnRecordForm">Recorded with the record form; a profile correction has a page of its own.</param>
public sealed record EntryKind(Type Type, Track? Track, Stage? Stage, Type? Choice, bool OnRecordForm = true)
{
    public string Name => Type.Name;

    /// <summary>Its name in the shared resources.</summary>
    public string TextKey => $"Kind.{Name}";
}

/// <summary>
/// Every kind of entry in one readable list. Marten's event types, the follow-up subscription,
/// the record form, the case page and the entries' stages all read it; a test checks it against
/// the event types and their JSON names.
/// </summary>
public static class EntryKinds
{
    public static readonly IReadOnlyList<EntryKind> All =
    [
        new(typeof(ReportedToAuthorities), Track.CriminalJustice, Stage.Reported, typeof(ReportChannel)),
        new(typeof(InvestigationOpened), Track.CriminalJustice, Stage.InvestigationOpened, null),
        new(typeof(JoinedProceedings), Track.CriminalJustice, Stage.JoinedProceedings, typeof(PartyRole)),
        new(typeof(SuspectIdentified), Track.CriminalJustice, Stage.SuspectIdentified, null),
        new(typeof(SuspectArrested), Track.CriminalJustice, Stage.SuspectArrested, null),
        new(typeof(ChargesFiled), Track.CriminalJustice, Stage.ChargesFiled, null),
        new(typeof(ProsecutionDeclined), Track.CriminalJustice, Stage.ProsecutionDeclined, typeof(DeclineReason)),
        new(typeof(PleaEntered), Track.CriminalJustice, Stage.PleaEntered, typeof(Plea)),
        new(typeof(TrialOpened), Track.CriminalJustice, Stage.TrialOpened, null),
        new(typeof(ChildHeard), Track.CriminalJustice, null, typeof(HearingSetting)),
        new(typeof(TestimonyGiven), Track.CriminalJustice, Stage.TestimonyGiven, null),
        new(typeof(VerdictDelivered), Track.CriminalJustice, Stage.Verdict, typeof(VerdictOutcome)),
        new(typeof(SentenceImposed), Track.CriminalJustice, Stage.Sentenced, null),
        new(typeof(AppealFiled), Track.CriminalJustice, Stage.AppealFiled, null),
        new(typeof(AppealDecided), Track.CriminalJustice, Stage.AppealDecided, typeof(AppealOutcome)),

        new(typeof(NeedsAssessed), Track.Recovery, Stage.NeedsAssessed, null),
        new(typeof(ServiceReferred), Track.Recovery, Stage.ServiceReferred, typeof(RecoveryService)),
        new(typeof(ServiceRefused), Track.Recovery, null, typeof(RecoveryService)),
        new(typeof(ServiceUnavailable), Track.Recovery, null, typeof(RecoveryService)),
        new(typeof(ServiceStarted), Track.Recovery, Stage.ServiceStarted, typeof(RecoveryService)),
        new(typeof(CarePlanAgreed), Track.Recovery, Stage.CarePlanAgreed, null),
        new(typeof(ServiceEnded), Track.Recovery, Stage.ServiceEnded, typeof(RecoveryService)),
        new(typeof(ReintegrationOutcomeRecorded), Track.Recovery, Stage.ReintegrationOutcome, typeof(ReintegrationResult)),

        new(typeof(InformedOfCompensationRight), Track.Compensation, Stage.InformedOfRight, null),
        new(typeof(CompensationClaimed), Track.Compensation, Stage.ClaimFiled, typeof(ClaimRoute)),
        new(typeof(CompensationAwarded), Track.Compensation, Stage.ClaimDecided, null),
        new(typeof(CompensationRejected), Track.Compensation, Stage.ClaimDecided, typeof(ClaimRejectionReason)),
        new(typeof(CompensationClaimWithdrawn), Track.Compensation, Stage.ClaimDecided, null),
        new(typeof(CompensationPaid), Track.Compensation, Stage.PaymentReceived, null),
        new(typeof(EnforcementFailed), Track.Compensation, Stage.EnforcementFailed, typeof(EnforcementFailure)),
        new(typeof(ReparationOrdered), Track.Compensation, null, typeof(ReparationKind)),

        new(typeof(ReExploited), null, null, null),
        new(typeof(ThreatReported), null, null, null),
        new(typeof(ProtectionOrderIssued), null, null, null),
        new(typeof(ProceedingLinked), null, null, typeof(ProceedingLink)),
        new(typeof(ProceedingLeadTaken), null, null, null, OnRecordForm: false),
        new(typeof(BarrierRecorded), null, null, null),
        new(typeof(BarrierOvercome), null, null, null),
        new(typeof(RightAssessed), null, null, null),
        new(typeof(LimitationDateRecorded), null, null, null),
        new(typeof(TrackClosed), null, null, typeof(CriminalClosureReason)),
        new(typeof(TrackReopened), null, null, null),
        new(typeof(CaseClosed), null, null, null),
        new(typeof(CaseReopened), null, null, null),
        new(typeof(EntryRetracted), null, null, null),
        new(typeof(ProfileCorrected), null, null, null, OnRecordForm: false),
    ];

    private static readonly FrozenDictionary<Type, EntryKind> ByType = All.ToFrozenDictionary(k => k.Type);
    private static readonly FrozenDictionary<string, EntryKind> ByName = All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The event types of every kind, for Marten and the subscriptions.</summary>
    public static IEnumerable<Type> Types => All.Select(k => k.Type);

    public static EntryKind Of(Type type) => ByType[type];

    /// <summary>The kind by its name, as forms and links carry it; null for a name that is none.</summary>
    public static EntryKind? Named(string? name) => name is not null && ByName.TryGetValue(name, out var kind) ? kind : null;
}
