using System.Text.Json.Serialization;

namespace JusticeTracker.Cases;

/// <summary>
/// A date as precise as the legal record allows. A month or a year is stored as its first day,
/// so two entries with the same meaning always compare equal.
/// </summary>
public sealed record FuzzyDate(DateOnly Date, DatePrecision Precision)
{
    public static FuzzyDate Of(DateOnly date, DatePrecision precision) => precision switch
    {
        DatePrecision.Year => new(new DateOnly(date.Year, 1, 1), precision),
        DatePrecision.Month => new(new DateOnly(date.Year, date.Month, 1), precision),
        _ => new(date, precision),
    };

    [JsonIgnore]
    public DateOnly Earliest => Of(Date, Precision).Date;

    [JsonIgnore]
    public DateOnly Latest => Precision switch
    {
        DatePrecision.Year => new DateOnly(Date.Year, 12, 31),
        DatePrecision.Month => Earliest.AddMonths(1).AddDays(-1),
        _ => Date,
    };

    public override string ToString() => Precision switch
    {
        DatePrecision.Year => Date.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture),
        DatePrecision.Month => Date.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        _ => Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Who recorded an entry, in which role, for which member organisation (none for the secretariat).</summary>
public sealed record Recorder(string UserId, UserRole Role, string? OrganisationId);

/// <summary>An amount in its own ISO 4217 currency. Reports never add different currencies together.</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>
/// What every entry on a case keeps: its id (the id of the command that recorded it, which makes
/// retries idempotent), when it happened and how precisely that is known, when and by whom it was
/// recorded, an optional short note, which earlier entry it corrects, if any, and the step of the
/// country's legal pathway it was recorded as, if it was (<see cref="Pathways.Pathways"/>).
/// </summary>
public sealed record EntryInfo(
    Guid EntryId,
    FuzzyDate Occurred,
    DateTimeOffset RecordedAt,
    Recorder RecordedBy,
    string? Note = null,
    Guid? Corrects = null,
    string? CorrectionReason = null,
    string? LocalStage = null);

/// <summary>The anonymised profile. It holds nothing that identifies a child: see BRIEF.md.</summary>
public sealed record CaseProfile(
    string Country,
    string OrganisationId,
    FuzzyDate ExploitationBegan,
    AgeBand AgeBand,
    Sex Sex,
    IReadOnlyList<ExploitationForm> Forms,
    YesNoUnknown OnlineFacilitated,
    YesNoUnknown CrossBorder,
    YesNoUnknown ForeignOffender,
    YesNoUnknown Disability);

/// <summary>The first event of every case stream.</summary>
public sealed record CaseOpened(Guid CaseId, string Reference, CaseProfile Profile, Recorder OpenedBy, DateTimeOffset RecordedAt);

/// <summary>
/// Every later event on a case is an entry. The API accepts an entry's own fields as the
/// <c>details</c> of a request, with <c>kind</c> naming it; <see cref="Entry"/> is always set by
/// the server from the request and the signed-in user, never taken from the client.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ProfileCorrected), nameof(ProfileCorrected))]
[JsonDerivedType(typeof(ReportedToAuthorities), nameof(ReportedToAuthorities))]
[JsonDerivedType(typeof(InvestigationOpened), nameof(InvestigationOpened))]
[JsonDerivedType(typeof(JoinedProceedings), nameof(JoinedProceedings))]
[JsonDerivedType(typeof(SuspectIdentified), nameof(SuspectIdentified))]
[JsonDerivedType(typeof(SuspectArrested), nameof(SuspectArrested))]
[JsonDerivedType(typeof(ChargesFiled), nameof(ChargesFiled))]
[JsonDerivedType(typeof(ProsecutionDeclined), nameof(ProsecutionDeclined))]
[JsonDerivedType(typeof(PleaEntered), nameof(PleaEntered))]
[JsonDerivedType(typeof(TrialOpened), nameof(TrialOpened))]
[JsonDerivedType(typeof(TestimonyGiven), nameof(TestimonyGiven))]
[JsonDerivedType(typeof(ChildHeard), nameof(ChildHeard))]
[JsonDerivedType(typeof(VerdictDelivered), nameof(VerdictDelivered))]
[JsonDerivedType(typeof(SentenceImposed), nameof(SentenceImposed))]
[JsonDerivedType(typeof(AppealFiled), nameof(AppealFiled))]
[JsonDerivedType(typeof(AppealDecided), nameof(AppealDecided))]
[JsonDerivedType(typeof(NeedsAssessed), nameof(NeedsAssessed))]
[JsonDerivedType(typeof(ServiceReferred), nameof(ServiceReferred))]
[JsonDerivedType(typeof(ServiceRefused), nameof(ServiceRefused))]
[JsonDerivedType(typeof(ServiceUnavailable), nameof(ServiceUnavailable))]
[JsonDerivedType(typeof(ServiceStarted), nameof(ServiceStarted))]
[JsonDerivedType(typeof(ServiceEnded), nameof(ServiceEnded))]
[JsonDerivedType(typeof(CarePlanAgreed), nameof(CarePlanAgreed))]
[JsonDerivedType(typeof(ReintegrationOutcomeRecorded), nameof(ReintegrationOutcomeRecorded))]
[JsonDerivedType(typeof(InformedOfCompensationRight), nameof(InformedOfCompensationRight))]
[JsonDerivedType(typeof(CompensationClaimed), nameof(CompensationClaimed))]
[JsonDerivedType(typeof(CompensationAwarded), nameof(CompensationAwarded))]
[JsonDerivedType(typeof(CompensationRejected), nameof(CompensationRejected))]
[JsonDerivedType(typeof(CompensationClaimWithdrawn), nameof(CompensationClaimWithdrawn))]
[JsonDerivedType(typeof(CompensationPaid), nameof(CompensationPaid))]
[JsonDerivedType(typeof(EnforcementFailed), nameof(EnforcementFailed))]
[JsonDerivedType(typeof(ReparationOrdered), nameof(ReparationOrdered))]
[JsonDerivedType(typeof(ReExploited), nameof(ReExploited))]
[JsonDerivedType(typeof(ThreatReported), nameof(ThreatReported))]
[JsonDerivedType(typeof(ProtectionOrderIssued), nameof(ProtectionOrderIssued))]
[JsonDerivedType(typeof(ProceedingLinked), nameof(ProceedingLinked))]
[JsonDerivedType(typeof(ProceedingLeadTaken), nameof(ProceedingLeadTaken))]
[JsonDerivedType(typeof(BarrierRecorded), nameof(BarrierRecorded))]
[JsonDerivedType(typeof(BarrierOvercome), nameof(BarrierOvercome))]
[JsonDerivedType(typeof(RightAssessed), nameof(RightAssessed))]
[JsonDerivedType(typeof(LimitationDateRecorded), nameof(LimitationDateRecorded))]
[JsonDerivedType(typeof(TrackClosed), nameof(TrackClosed))]
[JsonDerivedType(typeof(TrackReopened), nameof(TrackReopened))]
[JsonDerivedType(typeof(CaseClosed), nameof(CaseClosed))]
[JsonDerivedType(typeof(CaseReopened), nameof(CaseReopened))]
[JsonDerivedType(typeof(EntryRetracted), nameof(EntryRetracted))]
public abstract record CaseEntry
{
    public EntryInfo Entry { get; init; } = null!;

    /// <summary>The milestone this entry marks, if it is one: a property of its kind.</summary>
    [JsonIgnore]
    public Stage? Stage => EntryKinds.Of(GetType()).Stage;

    /// <summary>The track this entry belongs to, if any.</summary>
    [JsonIgnore]
    public virtual Track? Track => EntryKinds.Of(GetType()).Track;

    [JsonIgnore]
    public string Kind => GetType().Name;
}

public sealed record ProfileCorrected(CaseProfile Profile) : CaseEntry;

/// <summary>
/// An entry about one offender of the case: "Offender 1, 2…", a number and nothing else, never a
/// name or an identifier. Entries recorded before offenders existed are about offender 1
/// (<see cref="EventVersions"/>).
/// </summary>
public interface IOffenderEntry
{
    int Offender { get; }
}

// Criminal justice. The report, the investigation, the trial and the child's testimony are the
// case's; the steps against a suspect are each offender's.
public sealed record ReportedToAuthorities(ReportChannel Channel) : CaseEntry;
public sealed record InvestigationOpened : CaseEntry;

/// <summary>The child joined the criminal proceedings as a party: the civil-law <i>partie civile</i> or <i>querellante</i>, or their own lawyer in a common-law court.</summary>
public sealed record JoinedProceedings(PartyRole Role) : CaseEntry;
public sealed record SuspectIdentified(int Offender = 1) : CaseEntry, IOffenderEntry;
public sealed record SuspectArrested(int Offender = 1) : CaseEntry, IOffenderEntry;
public sealed record ChargesFiled(int Offender = 1) : CaseEntry, IOffenderEntry;
public sealed record ProsecutionDeclined(DeclineReason Reason, int Offender = 1) : CaseEntry, IOffenderEntry;

/// <summary>The offender's plea, or a plea agreement (a negotiated guilty plea).</summary>
public sealed record PleaEntered(Plea Plea, int Offender = 1) : CaseEntry, IOffenderEntry;
public sealed record TrialOpened : CaseEntry;
public sealed record TestimonyGiven(IReadOnlyList<ChildFriendlyMeasure> Measures) : CaseEntry;

/// <summary>
/// The child was heard before the trial, with the child-friendly measures used there, and how many
/// interviews that took: repeated interviews are where secondary victimisation happens. The
/// testimony at trial is <see cref="TestimonyGiven"/>.
/// </summary>
public sealed record ChildHeard(HearingSetting Setting, IReadOnlyList<ChildFriendlyMeasure> Measures, int Interviews = 1) : CaseEntry;

/// <summary>The verdict on one offender; a conviction names the gravest offence convicted of, when it is known.</summary>
public sealed record VerdictDelivered(VerdictOutcome Outcome, int Offender = 1, Offence? ConvictedOf = null) : CaseEntry, IOffenderEntry
{
    [JsonIgnore]
    public bool IsConviction => Outcome is VerdictOutcome.Convicted or VerdictOutcome.PartlyConvicted;
}

/// <summary>The sentence of one convicted offender: its type and, for a prison term, its length band, when known.</summary>
public sealed record SentenceImposed(int Offender = 1, SentenceType? Type = null, SentenceLength? Length = null) : CaseEntry, IOffenderEntry;

/// <summary>An appeal against one offender's verdict or sentence, and who brought it, when known.</summary>
public sealed record AppealFiled(int Offender = 1, Appellant? By = null) : CaseEntry, IOffenderEntry;
public sealed record AppealDecided(AppealOutcome Outcome, int Offender = 1) : CaseEntry, IOffenderEntry;

// Recovery and reintegration
public sealed record NeedsAssessed : CaseEntry;
/// <summary>The child was referred to a service. It may start later, or never.</summary>
public sealed record ServiceReferred(RecoveryService Service) : CaseEntry;

/// <summary>The child or the family declined a service they were offered.</summary>
public sealed record ServiceRefused(RecoveryService Service) : CaseEntry;

/// <summary>The child needed a service that was not available: missing, too far away, full, or unsuitable.</summary>
public sealed record ServiceUnavailable(RecoveryService Service) : CaseEntry;
public sealed record ServiceStarted(RecoveryService Service) : CaseEntry;
public sealed record ServiceEnded(RecoveryService Service) : CaseEntry;
public sealed record CarePlanAgreed : CaseEntry;
public sealed record ReintegrationOutcomeRecorded(ReintegrationResult Outcome) : CaseEntry;

// Compensation
public sealed record InformedOfCompensationRight : CaseEntry;

/// <summary>A claim for compensation by one route, with the amount claimed when it is known. Its entry id names the claim.</summary>
public sealed record CompensationClaimed(ClaimRoute Route, Money? Claimed = null) : CaseEntry;

/// <summary>
/// An entry that answers one claim: its decision, or a payment of what it awarded. <see cref="Claim"/>
/// is the id of the claim's entry (any of its versions); entries recorded before claims were
/// linked name none, and answer the earliest claim they can.
/// </summary>
public interface IClaimAnswer
{
    Guid? Claim { get; }
}

public sealed record CompensationAwarded(Money Amount, Guid? Claim = null) : CaseEntry, IClaimAnswer;
public sealed record CompensationRejected(ClaimRejectionReason Reason, Guid? Claim = null) : CaseEntry, IClaimAnswer;
public sealed record CompensationClaimWithdrawn(Guid? Claim = null) : CaseEntry, IClaimAnswer;
public sealed record CompensationPaid(Money Amount, bool InFull, Guid? Claim = null) : CaseEntry, IClaimAnswer;
public sealed record EnforcementFailed(EnforcementFailure Reason) : CaseEntry;

/// <summary>Reparation other than money: an apology, rehabilitation, education, property returned, guarantees of non-repetition.</summary>
public sealed record ReparationOrdered(ReparationKind Reparation) : CaseEntry;

// Linked cases (ADR 29). A proceeding is known by a pseudonymous key, never by anything that
// names a person, a court file or a place.

/// <summary>
/// The case shares a proceeding with other cases: the same offender, or the same trial. The
/// server makes the key when a case starts a proceeding (<see cref="Starts"/>); other cases join
/// with it. Leaving is retracting this entry.
/// </summary>
/// <param name="Proceeding">The key, <c>PR-</c> and ten random letters and digits; empty in a request to start a new one.</param>
/// <param name="Link">What the cases share.</param>
/// <param name="Starts">Whether this case counts the proceeding from its link, set by the server: it started it, or joined when no linked case counted it.</param>
public sealed record ProceedingLinked(string? Proceeding, ProceedingLink Link, bool Starts = false) : CaseEntry;

/// <summary>
/// Recorded by the system when the case that counted a proceeding left it: this case, the
/// earliest linked of those left, counts it from now on. Never taken from a request.
/// </summary>
public sealed record ProceedingLeadTaken(string Proceeding) : CaseEntry;

// The child's safety, across the tracks.

/// <summary>The child was exploited again after the case began.</summary>
public sealed record ReExploited : CaseEntry;

/// <summary>The child or the family was threatened or intimidated, to stop or change what they do in the case.</summary>
public sealed record ThreatReported : CaseEntry;

/// <summary>A court or an authority ordered the child protected: a protection or restraining order, or witness protection.</summary>
public sealed record ProtectionOrderIssued : CaseEntry;

// Across the tracks. A barrier's id is the id of the entry that recorded it.
public sealed record BarrierRecorded(Track BlockedTrack, Stage? BlockedStage, BarrierCategory Category, BarrierSeverity Severity) : CaseEntry
{
    public override Track? Track => BlockedTrack;
}

/// <summary>Marks a barrier overcome; the entry's note says how, and is required.</summary>
public sealed record BarrierOvercome(Guid BarrierId) : CaseEntry;

public sealed record RightAssessed(ChildRight Right, RightRespect Respect) : CaseEntry;

/// <summary>
/// The last day a step is still possible on a track: the statute of limitations for prosecution,
/// or the time limit for a compensation claim. Follow-ups remind the lawyer before it passes.
/// </summary>
public sealed record LimitationDateRecorded(Track LimitedTrack, DateOnly Expires) : CaseEntry
{
    public override Track? Track => LimitedTrack;
}

/// <summary>Closes a track. A criminal track needs one of the brief's closure reasons.</summary>
public sealed record TrackClosed(Track ClosedTrack, CriminalClosureReason? Reason) : CaseEntry
{
    public override Track? Track => ClosedTrack;
}

/// <summary>Reopens a closed track; the note gives the reason and is required.</summary>
public sealed record TrackReopened(Track ReopenedTrack) : CaseEntry
{
    public override Track? Track => ReopenedTrack;
}

/// <summary>Closes the case and every track still open; the note gives the reason and is required.</summary>
public sealed record CaseClosed : CaseEntry;

/// <summary>Reopens a closed case; the note gives the reason and is required.</summary>
public sealed record CaseReopened : CaseEntry;

/// <summary>Withdraws an entry recorded by mistake; the note gives the reason and is required.</summary>
public sealed record EntryRetracted(Guid RetractedEntryId) : CaseEntry;

// The review of doubtful notes. A free text the personal-data check finds possibly personal is
// stored where it was written and marked for a legal expert; these events never copy the text.

/// <summary>Which free text on a case a review is about. Each lives in one field of one kind of event.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NoteField>))]
public enum NoteField
{
    /// <summary>An entry's note.</summary>
    Note,

    /// <summary>Why an entry corrects an earlier one.</summary>
    CorrectionReason,

    /// <summary>Why a follow-up can wait.</summary>
    SnoozeReason,

    /// <summary>How a follow-up was resolved.</summary>
    ResolutionNote,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReviewOutcome>))]
public enum ReviewOutcome { Accepted, Redacted }

/// <summary>Every review event names the review it is about.</summary>
public interface INoteReviewEvent
{
    Guid ReviewId { get; }
}

/// <summary>
/// A free text the personal-data check found possibly personal, kept and waiting for a legal expert.
/// Appended with the event that holds the text.
/// </summary>
/// <param name="ReviewId">Derived from the case, the position and the field, so one text is held once.</param>
/// <param name="About">The entry, or the follow-up, whose text it is.</param>
/// <param name="Field">Which of its texts.</param>
/// <param name="Position">The stream version of the event that holds the text: where a redaction rewrites it.</param>
/// <param name="Kind">What the check thought it might be.</param>
/// <param name="At">When it was held.</param>
public sealed record NoteHeldForReview(Guid ReviewId, Guid About, NoteField Field, long Position, PersonalDataKind Kind, DateTimeOffset At) : INoteReviewEvent;

/// <summary>A legal expert read the text and found nothing that identifies anyone: it stays as written.</summary>
public sealed record NoteAccepted(Guid ReviewId, Recorder By, DateTimeOffset At) : INoteReviewEvent;

/// <summary>
/// A legal expert removed the text. In the same transaction the event that held it is rewritten
/// without it (ADR 16), so the text is in no table afterwards; the timeline says it was removed.
/// </summary>
public sealed record NoteRedacted(Guid ReviewId, Recorder By, DateTimeOffset At) : INoteReviewEvent;
