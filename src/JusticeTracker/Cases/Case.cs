using System.Collections.Immutable;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace JusticeTracker.Cases;

/// <summary>An entry as it stands on the case: superseded by a correction, retracted, or standing.</summary>
/// <param name="Event">The entry as recorded.</param>
/// <param name="CorrectedBy">The entry that corrects it, if any.</param>
/// <param name="RetractedBy">The entry that retracts it, if any.</param>
/// <param name="Position">The stream version the entry was appended at: follow-up events sit between entries, so it is not the entry's index.</param>
public sealed record RecordedEntry(CaseEntry Event, Guid? CorrectedBy = null, Guid? RetractedBy = null, long Position = 0)
{
    // Worked out from the entry, so not stored: the case document holds every entry.
    [JsonIgnore]
    public Guid Id => Event.Entry.EntryId;

    [JsonIgnore]
    public bool IsStanding => CorrectedBy is null && RetractedBy is null;
}

public sealed record TrackProgress(Track Track, TrackStatus Status, Stage? Stage);

/// <summary>A free text held for a legal expert's review, and how the review ended, once it has.</summary>
public sealed record HeldNote(
    Guid Id,
    Guid About,
    NoteField Field,
    long Position,
    PersonalDataKind Kind,
    DateTimeOffset HeldAt,
    ReviewOutcome? Outcome = null,
    Recorder? ReviewedBy = null,
    DateTimeOffset? ReviewedAt = null)
{
    [JsonIgnore]
    public bool IsPending => Outcome is null;
}

/// <summary>
/// A barrier that stands on the case: its latest version, the ids of the versions it corrected (an
/// entry marking it overcome may name any of them), and the entry that marks it overcome, if any.
/// </summary>
public sealed record BarrierState(
    Guid Id,
    ImmutableList<Guid> Earlier,
    Track BlockedTrack,
    Stage? BlockedStage,
    BarrierCategory Category,
    BarrierSeverity Severity,
    FuzzyDate Encountered,
    Guid? OvercomeBy = null)
{
    public bool Names(Guid id) => Id == id || Earlier.Contains(id);

    [JsonIgnore]
    public bool IsOpen => OvercomeBy is null;
}

/// <summary>
/// One offender of the case, known only as "Offender n", as its standing entries leave it: how far
/// the proceedings against them went, and how they ended.
/// </summary>
public sealed record OffenderState(
    int Number,
    Stage? Stage = null,
    Plea? Plea = null,
    VerdictOutcome? Verdict = null,
    Offence? ConvictedOf = null,
    SentenceType? Sentence = null,
    SentenceLength? Length = null,
    Appellant? AppealedBy = null,
    AppealOutcome? Appeal = null)
{
    public OffenderState With(IOffenderEntry entry) => (entry switch
    {
        PleaEntered p => this with { Plea = p.Plea },
        VerdictDelivered v => this with { Verdict = v.Outcome, ConvictedOf = v.IsConviction ? v.ConvictedOf : null },
        SentenceImposed s => this with { Sentence = s.Type, Length = s.Length },
        AppealFiled a => this with { AppealedBy = a.By },
        AppealDecided d => this with { Appeal = d.Outcome },
        _ => this,
    }) is var next && ((CaseEntry)entry).Stage is { } stage && (Stage is null || stage > Stage) ? next with { Stage = stage } : next;
}

/// <summary>How a claim for compensation was decided.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimOutcome>))]
public enum ClaimOutcome { Awarded, Rejected, Withdrawn }

/// <summary>
/// A claim for compensation that stands: its latest version, the ids of the versions it corrected
/// (an answer may name any of them), its route, and what its standing answers left: the decision
/// and whether anything was paid.
/// </summary>
public sealed record ClaimState(
    Guid Id,
    ImmutableList<Guid> Earlier,
    ClaimRoute Route,
    Money? Claimed,
    FuzzyDate Filed,
    ClaimOutcome? Outcome = null,
    bool Paid = false,
    bool PaidInFull = false,
    int Decisions = 0)
{
    public bool Names(Guid id) => Id == id || Earlier.Contains(id);

    /// <summary>The claim once the answer is applied.</summary>
    public ClaimState With(IClaimAnswer answer) => answer switch
    {
        CompensationAwarded => this with { Outcome = ClaimOutcome.Awarded, Decisions = Decisions + 1 },
        CompensationRejected => this with { Outcome = ClaimOutcome.Rejected, Decisions = Decisions + 1 },
        CompensationClaimWithdrawn => this with { Outcome = ClaimOutcome.Withdrawn, Decisions = Decisions + 1 },
        CompensationPaid p => this with { Paid = true, PaidInFull = PaidInFull || p.InFull },
        _ => this,
    };

    /// <summary>Whether this is a claim an answer may be about: a payment pays an award, a decision decides a claim not yet decided.</summary>
    public bool Awaits(IClaimAnswer answer) => answer is CompensationPaid ? Outcome == ClaimOutcome.Awarded : Outcome is null;
}

/// <summary>Where an accepted transfer moved the case, and the stream position of the acceptance.</summary>
public sealed record Moved(string OrganisationId, string Country, long Position);

/// <summary>The latest standing assessment of one right.</summary>
public sealed record RightState(ChildRight Right, RightRespect Respect, FuzzyDate AssessedOn);

/// <summary>
/// One case: the summary that decisions, lists and the case page read, stored inline in the same
/// transaction as the events (ADR 21). Its entries are documents of their own
/// (<see cref="Reading.CaseEntryView"/>); the summary keeps what is worked out from them, so that
/// recording an entry rewrites a few hundred bytes, not the whole history. It is immutable:
/// <see cref="CaseProjection"/> returns a new one for every event.
/// </summary>
public sealed record Case : ILongVersioned, IWritable
{
    public Guid Id { get; init; }

    /// <summary>The stream version, set by Marten; clients send it back to prove what they saw.</summary>
    public long Version { get; set; }

    public required string Reference { get; init; }
    /// <summary>Where the case is pursued and who pursues it: as opened, or as the last accepted transfer left it.</summary>
    public required string Country { get; init; }

    public required string OrganisationId { get; init; }

    /// <summary>The profile as it stands: the latest standing correction, or the one the case was opened with.</summary>
    public required CaseProfile Profile { get; init; }

    /// <summary>The profile the case was opened with, which stands again when every correction of it is retracted.</summary>
    public CaseProfile? OpenedProfile { get; init; }

    public required Recorder OpenedBy { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public CaseStatus Status { get; init; } = CaseStatus.Open;
    public ImmutableList<TrackProgress> Tracks { get; init; } = [];

    /// <summary>The tracks the standing "case closed" closed, which its reopening opens again.</summary>
    public ImmutableList<Track> ClosedByCase { get; init; } = [];

    /// <summary>The barriers that stand, open or overcome, in the order they were recorded.</summary>
    public ImmutableList<BarrierState> Barriers { get; init; } = [];

    /// <summary>The latest standing assessment of each right, in the order of the rights.</summary>
    public ImmutableList<RightState> Rights { get; init; } = [];

    /// <summary>The claims for compensation that stand, in the order filed, each with its answers.</summary>
    public ImmutableList<ClaimState> Claims { get; init; } = [];

    /// <summary>Standing decisions and payments whose claim no longer stands (it was retracted): an inconsistency.</summary>
    public int UnansweredClaimLinks { get; init; }

    /// <summary>The proceeding the case is linked to, if any (ADR 29): a column of its own, to find the other cases linked to it.</summary>
    public string? Proceeding { get; init; }

    /// <summary>When the case was linked to its proceeding: the earliest linked takes the count over when the one counting it leaves.</summary>
    public DateTimeOffset? ProceedingSince { get; init; }

    /// <summary>Whether this case counts its proceeding in the statistics: it started it, or took it over.</summary>
    public bool LeadsProceeding { get; init; }

    /// <summary>The offenders the standing entries name, by number. The criminal track is theirs together.</summary>
    public ImmutableList<OffenderState> Offenders { get; init; } = [];

    /// <summary>
    /// The number a new offender takes: one more than the highest named. A case document kept
    /// before offenders existed lists none, though its entries were about offender 1.
    /// </summary>
    [JsonIgnore]
    public int NextOffender => Offenders.Count > 0 ? Offenders[^1].Number + 1
        : EventVersions.WithOffender.Any(t => Count(t.Name) > 0) ? 2 : 1;

    /// <summary>How many standing entries of each kind (and conviction, and each service started or ended): what <see cref="Recording.RecordEntryEndpoint.Inconsistency"/> checks.</summary>
    public ImmutableSortedDictionary<string, int> Tally { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    /// <summary>The earliest day a standing entry may have happened on, checked against when the exploitation began.</summary>
    public DateOnly? EarliestOccurred { get; init; }

    public int OpenBarrierCount { get; init; }
    public DateTimeOffset LastActivityAt { get; init; }

    /// <summary>How many entries the stream holds, standing or not.</summary>
    public int EntryCount { get; init; }

    /// <summary>
    /// The entries this copy of the case has seen in memory, in the order recorded. Not stored: a
    /// case folded from its first event (statistics, the demo, bulk import) holds every entry
    /// (<see cref="HoldsEveryEntry"/>); one loaded from its document holds only those recorded since.
    /// </summary>
    [JsonIgnore]
    public ImmutableList<RecordedEntry> Entries { get; init; } = [];

    /// <summary>Whether <see cref="Entries"/> is the whole history, so that what is worked out from the entries may be.</summary>
    [JsonIgnore]
    public bool HoldsEveryEntry => Entries.Count == EntryCount;

    /// <summary>The follow-ups raised on the case, pending and past, in the order they were raised.</summary>
    public ImmutableList<FollowUps.FollowUp> FollowUps { get; init; } = [];

    /// <summary>How many follow-up events the stream holds, to know each entry's place in it.</summary>
    public int FollowUpEvents { get; init; }

    /// <summary>Every free text held for review, pending and past, in the order they were held.</summary>
    public ImmutableList<HeldNote> Reviews { get; init; } = [];

    /// <summary>How many review events the stream holds, to know each entry's place in it.</summary>
    public int ReviewEvents { get; init; }

    /// <summary>Every request to move the case to another organisation, waiting and past, in the order asked.</summary>
    public ImmutableList<Transferring.CaseTransfer> Transfers { get; init; } = [];

    /// <summary>How many transfer events the stream holds, to know each entry's place in it.</summary>
    public int TransferEvents { get; init; }

    /// <summary>The organisation a waiting transfer request asks to take the case: kept in a column of its own for the receiver's list.</summary>
    public string? TransferTo { get; init; }

    /// <summary>
    /// The last accepted transfer: where the case went, and its place in the stream. A profile
    /// recorded before it keeps its other facts, but the organisation and the country are the
    /// transfer's, even when a later correction or retraction brings that older profile back.
    /// </summary>
    public Moved? LastMove { get; init; }

    [JsonIgnore]
    public Transferring.CaseTransfer? PendingTransfer => TransferTo is null ? null : Transfers.FindLast(t => t.IsPending);

    /// <summary>
    /// The stream version the next event takes. Counted rather than read from <see cref="Version"/>:
    /// an inline projection in Quick append mode sees new events without their version.
    /// </summary>
    [JsonIgnore]
    public long NextPosition => 2L + EntryCount + FollowUpEvents + ReviewEvents + TransferEvents;

    /// <summary>
    /// The version at which the case's entries last changed. Someone who saw this version or a later
    /// one saw every entry: follow-ups raised or acknowledged since do not make their form stale.
    /// </summary>
    public long EntriesVersion { get; init; } = 1;

    [JsonIgnore]
    public IEnumerable<BarrierState> OpenBarriers => Barriers.Where(b => b.IsOpen);

    /// <summary>Whether a form made at <paramref name="seen"/> missed an entry recorded since.</summary>
    public bool IsStale(long seen) => seen < EntriesVersion || seen > Version;

    /// <summary>An entry's command id becomes its id: a command carried out is an entry, here or on another case.</summary>
    public async ValueTask<CommandSeen> SeenAsync(IQuerySession session, Guid commandId, CancellationToken ct) =>
        Entries.Any(e => e.Id == commandId) || Transfers.Any(t => t.Id == commandId) ? CommandSeen.Here
        : await session.LoadAsync<Reading.CaseEntryView>(commandId, ct) is { } view ? (view.CaseId == Id ? CommandSeen.Here : CommandSeen.Elsewhere)
        : CommandSeen.Never;

    public static Case Open(CaseOpened opened) => new Case
    {
        Id = opened.CaseId,
        Reference = opened.Reference,
        Country = opened.Profile.Country,
        OrganisationId = opened.Profile.OrganisationId,
        Profile = opened.Profile,
        OpenedProfile = opened.Profile,
        OpenedBy = opened.OpenedBy,
        OpenedAt = opened.RecordedAt,

        // In UTC: it is also a timestamptz column of its own, which takes no other offset.
        LastActivityAt = opened.RecordedAt.ToUniversalTime(),
        Tracks = Untouched,
    };

    /// <summary>Whether recording the entry changes an earlier one (a correction or a retraction).</summary>
    public static bool ChangesThePast(CaseEntry entry) => entry.Entry.Corrects is not null || entry is EntryRetracted;

    /// <summary>
    /// The case with the entry recorded. A new fact only adds to what is worked out; a correction
    /// or a retraction changes the past, so the summary is worked out again from every entry that
    /// then stands, which <paramref name="history"/> gives when this copy does not hold them all.
    /// </summary>
    public Case Record(CaseEntry entry, IReadOnlyList<RecordedEntry>? history = null)
    {
        var position = NextPosition;
        var recorded = new RecordedEntry(entry, Position: position);
        var counted = this with
        {
            EntryCount = EntryCount + 1,
            EntriesVersion = position,
            LastActivityAt = entry.Entry.RecordedAt > LastActivityAt ? entry.Entry.RecordedAt.ToUniversalTime() : LastActivityAt,
        };

        if (!ChangesThePast(entry))
        {
            return counted.Step(entry) with { Entries = Entries.Add(recorded) };
        }

        var before = history ?? (HoldsEveryEntry ? Entries : throw new InvalidOperationException($"Case {Id}: a correction or retraction needs every entry of the case."));
        var entries = before.ToImmutableList();
        if (entry.Entry.Corrects is { } corrected && entries.FindIndex(e => e.Id == corrected) is var c and >= 0)
        {
            entries = entries.SetItem(c, entries[c] with { CorrectedBy = entry.Entry.EntryId });
        }

        if (entry is EntryRetracted retraction && entries.FindIndex(e => e.Id == retraction.RetractedEntryId) is var r and >= 0)
        {
            entries = entries.SetItem(r, entries[r] with { RetractedBy = entry.Entry.EntryId });
        }

        return (counted with { Entries = entries.Add(recorded) }).Recount();
    }

    /// <summary>A follow-up raised, acknowledged, snoozed or resolved. It is not an entry: it changes no track.</summary>
    public Case WithFollowUp(FollowUps.IFollowUpEvent e)
    {
        var position = NextPosition;
        var counted = this with { FollowUpEvents = FollowUpEvents + 1 };
        if (e is FollowUps.FollowUpRaised raised)
        {
            return FollowUps.Any(f => f.Id == raised.FollowUpId) ? counted : counted with
            {
                FollowUps = FollowUps.Add(new FollowUps.FollowUp(raised.FollowUpId, raised.Key, raised.Rule, raised.Track, raised.DueOn, raised.About, raised.RaisedAt)),
            };
        }

        var found = FollowUps.Find(f => f.Id == e.FollowUpId);
        return found is null ? counted : counted with { FollowUps = FollowUps.Replace(found, found.Apply(e, position)) };
    }

    /// <summary>
    /// A transfer asked for, accepted, declined or withdrawn. It is not an entry: an accepted one
    /// moves the case to the receiving organisation (and its country), with its whole history.
    /// </summary>
    public Case WithTransfer(Transferring.ITransferEvent e)
    {
        var position = NextPosition;
        var counted = this with { TransferEvents = TransferEvents + 1 };
        var transfer = Transfers.Find(t => t.Id == e.TransferId);
        switch (e)
        {
            case Transferring.TransferRequested requested when transfer is null:
                return counted with
                {
                    Transfers = Transfers.Add(new Transferring.CaseTransfer(
                        requested.TransferId, requested.FromOrganisation, requested.ToOrganisation, Country, requested.Country, requested.Reason, requested.Basis, requested.By, requested.At)),
                    TransferTo = requested.ToOrganisation,
                };
            case Transferring.TransferAccepted accepted:
                // A fold of the entries alone (the statistics) never saw the request: the
                // acceptance carries where the case goes.
                var moved = counted with
                {
                    OrganisationId = accepted.ToOrganisation,
                    Country = accepted.Country,
                    Profile = Profile with { OrganisationId = accepted.ToOrganisation, Country = accepted.Country },
                    LastMove = new Moved(accepted.ToOrganisation, accepted.Country, position),
                    TransferTo = null,
                };
                return transfer is null ? moved : moved with { Transfers = Transfers.Replace(transfer, Answered(transfer, Transferring.TransferOutcome.Accepted, accepted.By, accepted.At)) };
            case Transferring.TransferDeclined declined when transfer is not null:
                return counted with { Transfers = Transfers.Replace(transfer, Answered(transfer, Transferring.TransferOutcome.Declined, declined.By, declined.At)), TransferTo = null };
            case Transferring.TransferWithdrawn withdrawn when transfer is not null:
                return counted with { Transfers = Transfers.Replace(transfer, Answered(transfer, Transferring.TransferOutcome.Withdrawn, withdrawn.By, withdrawn.At)), TransferTo = null };
            default:
                return counted;
        }

        static Transferring.CaseTransfer Answered(Transferring.CaseTransfer transfer, Transferring.TransferOutcome outcome, Recorder by, DateTimeOffset at) =>
            transfer with { Outcome = outcome, AnsweredBy = by, AnsweredAt = at };
    }

    /// <summary>
    /// A text held for review, accepted, or redacted. A redaction takes the text out of the entry
    /// held in memory or the follow-up here, as <see cref="Reviewing.Redaction"/> takes it out of
    /// the stored event and <see cref="CaseProjection"/> out of the entry's document.
    /// </summary>
    public Case WithReview(INoteReviewEvent e)
    {
        var counted = this with { ReviewEvents = ReviewEvents + 1 };
        if (e is NoteHeldForReview held)
        {
            return Reviews.Any(r => r.Id == held.ReviewId) ? counted : counted with
            {
                Reviews = Reviews.Add(new HeldNote(held.ReviewId, held.About, held.Field, held.Position, held.Kind, held.At)),
            };
        }

        var review = Reviews.Find(r => r.Id == e.ReviewId);
        switch (e)
        {
            case NoteAccepted accepted when review is not null:
                return counted with { Reviews = Reviews.Replace(review, review with { Outcome = ReviewOutcome.Accepted, ReviewedBy = accepted.By, ReviewedAt = accepted.At }) };
            case NoteRedacted redacted when review is not null:
                var entry = Entries.Find(x => x.Position == review.Position);
                var followUp = FollowUps.Find(f => f.Id == review.About && f.NotePosition == review.Position);
                return counted with
                {
                    Reviews = Reviews.Replace(review, review with { Outcome = ReviewOutcome.Redacted, ReviewedBy = redacted.By, ReviewedAt = redacted.At }),
                    Entries = entry is null ? Entries : Entries.Replace(entry, entry with { Event = (CaseEntry)Reviewing.Redaction.Without(entry.Event, review.Field) }),
                    FollowUps = followUp is null ? FollowUps : FollowUps.Replace(followUp, followUp with { Note = null }),
                };
            default:
                return counted;
        }
    }

    /// <summary>The review of one text of the event at <paramref name="position"/>, if it was held.</summary>
    public HeldNote? ReviewOf(long position, NoteField field) => Reviews.Find(r => r.Position == position && r.Field == field);

    public TrackStatus StatusOf(Track track) => Tracks.Single(t => t.Track == track).Status;

    /// <summary>How many standing entries <see cref="Tally"/> counts under <paramref name="key"/>.</summary>
    public int Count(string key) => Tally.GetValueOrDefault(key);

    // What follows reads the entries held in memory, so only a case that holds every entry
    // (statistics, the demo, tests) can answer it.

    /// <summary>An entry held in memory.</summary>
    public RecordedEntry? Find(Guid entryId) => Entries.Find(e => e.Id == entryId);

    [JsonIgnore]
    public IEnumerable<CaseEntry> Standing => Entries.Where(e => e.IsStanding).Select(e => e.Event);

    public IEnumerable<T> StandingOf<T>() where T : CaseEntry => Standing.OfType<T>();

    /// <summary>Follows corrections from an entry to the version that stands now.</summary>
    public Guid Resolve(Guid entryId) => Resolve(Entries, entryId);

    public static Guid Resolve(IReadOnlyList<RecordedEntry> entries, Guid entryId)
    {
        var entry = entries.FirstOrDefault(e => e.Id == entryId);
        while (entry?.CorrectedBy is { } next)
        {
            entryId = next;
            entry = entries.FirstOrDefault(e => e.Id == next);
        }

        return entryId;
    }

    /// <summary>The keys of <see cref="Tally"/> an entry counts under.</summary>
    public static IEnumerable<string> TallyKeys(CaseEntry entry)
    {
        yield return entry.Kind;
        if (entry is IOffenderEntry offender)
        {
            // Per offender too: a sentence needs a conviction of the same offender.
            yield return OfOffender(entry.Kind, offender.Offender);
        }

        switch (entry)
        {
            case VerdictDelivered { IsConviction: true } verdict:
                yield return Conviction;
                yield return OfOffender(Conviction, verdict.Offender);
                break;
            case ServiceStarted started:
                yield return $"{nameof(ServiceStarted)}:{started.Service}";
                break;
            case ServiceEnded ended:
                yield return $"{nameof(ServiceEnded)}:{ended.Service}";
                break;
        }
    }

    public const string Conviction = "Conviction";

    /// <summary>A tally key for one offender's entries of a kind (or convictions).</summary>
    public static string OfOffender(string key, int offender) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key}@{offender}");

    private static readonly ImmutableList<TrackProgress> Untouched =
        [.. Enum.GetValues<Track>().Select(t => new TrackProgress(t, TrackStatus.NotStarted, null))];

    /// <summary>
    /// What one more standing entry adds to the summary. Closing and reopening are acts in a
    /// sequence, so an entry is applied to the state the ones before it left.
    /// </summary>
    private Case Step(CaseEntry entry)
    {
        var tally = Tally;
        foreach (var key in TallyKeys(entry))
        {
            tally = tally.SetItem(key, tally.GetValueOrDefault(key) + 1);
        }

        var status = Tracks.ToDictionary(t => t.Track, t => t.Status);
        var closedByCase = ClosedByCase;
        var caseStatus = Status;
        switch (entry)
        {
            case TrackClosed closed:
                status[closed.ClosedTrack] = TrackStatus.Closed;
                if (!status.ContainsValue(TrackStatus.Open))
                {
                    caseStatus = CaseStatus.Closed;
                }

                break;
            case TrackReopened reopened:
                status[reopened.ReopenedTrack] = TrackStatus.Open;
                caseStatus = CaseStatus.Open;
                break;
            case CaseClosed:
                closedByCase = [.. status.Where(s => s.Value == TrackStatus.Open).Select(s => s.Key)];
                closedByCase.ForEach(t => status[t] = TrackStatus.Closed);
                caseStatus = CaseStatus.Closed;
                break;
            case CaseReopened:
                closedByCase.ForEach(t => status[t] = TrackStatus.Open);
                caseStatus = CaseStatus.Open;
                break;
            case { Track: { } track } when status[track] == TrackStatus.NotStarted:
                status[track] = TrackStatus.Open;
                break;
        }

        var tracks = Tracks.ConvertAll(t => t with
        {
            Status = status[t.Track],
            Stage = entry.Stage is { } stage && stage.TrackOf() == t.Track && (t.Stage is null || stage > t.Stage) ? stage : t.Stage,
        });

        var barriers = entry switch
        {
            BarrierRecorded b => Barriers.Add(new BarrierState(b.Entry.EntryId, [], b.BlockedTrack, b.BlockedStage, b.Category, b.Severity, b.Entry.Occurred)),
            BarrierOvercome o when Barriers.Find(b => b.IsOpen && b.Names(o.BarrierId)) is { } open => Barriers.Replace(open, open with { OvercomeBy = o.Entry.EntryId }),
            _ => Barriers,
        };

        var offenders = Offenders;
        if (entry is IOffenderEntry about)
        {
            var index = offenders.FindIndex(o => o.Number == about.Offender);
            offenders = index >= 0
                ? offenders.SetItem(index, offenders[index].With(about))
                : offenders.Add(new OffenderState(about.Offender).With(about)).Sort((a, b) => a.Number.CompareTo(b.Number));
        }

        var claims = entry switch
        {
            CompensationClaimed c => Claims.Add(new ClaimState(c.Entry.EntryId, [], c.Route, c.Claimed, c.Entry.Occurred)),
            IClaimAnswer answer => Answer(Claims, answer).Claims,
            _ => Claims,
        };

        var rights = entry is RightAssessed right
            ? Rights.RemoveAll(r => r.Right == right.Right).Add(new RightState(right.Right, right.Respect, right.Entry.Occurred)).Sort((a, b) => a.Right.CompareTo(b.Right))
            : Rights;

        var latest = entry.Entry.Occurred.Latest;
        return this with
        {
            Tally = tally,
            Tracks = tracks,
            ClosedByCase = closedByCase,
            Status = caseStatus,
            Barriers = barriers,
            OpenBarrierCount = barriers.Count(b => b.IsOpen),
            Rights = rights,
            Offenders = offenders,
            Claims = claims,
            Proceeding = entry is ProceedingLinked link ? link.Proceeding : Proceeding,
            ProceedingSince = entry is ProceedingLinked since ? since.Entry.RecordedAt : ProceedingSince,
            LeadsProceeding = entry switch
            {
                ProceedingLinked linked => linked.Starts,
                ProceedingLeadTaken taken => taken.Proceeding == Proceeding,
                _ => LeadsProceeding,
            },
            Profile = entry is ProfileCorrected corrected ? corrected.Profile : Profile,
            EarliestOccurred = EarliestOccurred is { } earliest && earliest <= latest ? earliest : latest,
        };
    }

    /// <summary>
    /// Works the summary out again from every standing entry, in the order recorded: after a
    /// correction or a retraction. A barrier's versions and the entry that overcame it are
    /// matched once all are known, since a correction comes after the entries that name it.
    /// </summary>
    private Case Recount()
    {
        var start = this with
        {
            Tally = ImmutableSortedDictionary<string, int>.Empty,
            Tracks = Untouched,
            ClosedByCase = [],
            Status = CaseStatus.Open,
            Barriers = [],
            Rights = [],
            Offenders = [],
            Claims = [],
            UnansweredClaimLinks = 0,
            Proceeding = null,
            ProceedingSince = null,
            LeadsProceeding = false,
            Profile = OpenedProfile ?? Profile,
            EarliestOccurred = null,
        };
        var next = Entries.Where(e => e.IsStanding).Aggregate(start, (c, e) => c.Step(e.Event));

        // The profile that stands may be older than the last transfer: the case stays where it went.
        var profiledAt = Entries.FindLast(e => e.IsStanding && e.Event is ProfileCorrected)?.Position ?? 1;
        if (LastMove is { } move && move.Position > profiledAt)
        {
            next = next with { Profile = next.Profile with { OrganisationId = move.OrganisationId, Country = move.Country } };
        }

        var overcome = Entries.Where(e => e.IsStanding && e.Event is BarrierOvercome)
            .GroupBy(e => Resolve(Entries, ((BarrierOvercome)e.Event).BarrierId))
            .ToDictionary(g => g.Key, g => g.First().Id);
        var barriers = next.Barriers.ConvertAll(b => b with
        {
            Earlier = [.. Entries.Where(e => e.Id != b.Id && e.Event is BarrierRecorded && Resolve(Entries, e.Id) == b.Id).Select(e => e.Id)],
            OvercomeBy = overcome.TryGetValue(b.Id, out var by) ? by : null,
        });
        // Claims likewise: an answer may name a version of its claim older than the one that stands,
        // and comes before that version in the order recorded, so answers are matched last.
        var claims = next.Claims.ConvertAll(c => new ClaimState(
            c.Id, [.. Entries.Where(e => e.Id != c.Id && e.Event is CompensationClaimed && Resolve(Entries, e.Id) == c.Id).Select(e => e.Id)], c.Route, c.Claimed, c.Filed));
        // An answer that names no claim (recorded before answers named one) answers a claim filed before it, as it did when recorded.
        var filed = claims.ToDictionary(c => c.Id, c => Entries.Where(e => c.Names(e.Id)).Min(e => e.Position));
        var unanswered = 0;
        foreach (var recorded in Entries.Where(e => e.IsStanding && e.Event is IClaimAnswer))
        {
            var answer = (IClaimAnswer)recorded.Event;
            (claims, var found) = Answer(claims, answer, c => filed[c.Id] < recorded.Position);
            unanswered += answer.Claim is not null && !found ? 1 : 0;
        }

        return next with { Barriers = barriers, OpenBarrierCount = barriers.Count(b => b.IsOpen), Claims = claims, UnansweredClaimLinks = unanswered };
    }

    /// <summary>
    /// The claims with an answer applied to the claim it names, or, for an answer recorded before
    /// answers named their claim, to the earliest claim it can answer. Unchanged when there is none.
    /// </summary>
    private static (ImmutableList<ClaimState> Claims, bool Found) Answer(ImmutableList<ClaimState> claims, IClaimAnswer answer, Func<ClaimState, bool>? before = null)
    {
        var index = answer.Claim is { } id ? claims.FindIndex(c => c.Names(id)) : claims.FindIndex(c => c.Awaits(answer) && (before?.Invoke(c) ?? true));
        return index < 0 ? (claims, false) : (claims.SetItem(index, claims[index].With(answer)), true);
    }
}

/// <summary>
/// Builds <see cref="Case"/> from its events, and keeps each entry's document
/// (<see cref="Reading.CaseEntryView"/>) in the same transaction. One switch rather than an Apply
/// method per event: every entry is applied the same way, and <see cref="Case.Record"/> does the rest.
/// </summary>
public sealed partial class CaseProjection : SingleStreamProjection<Case, Guid>
{
    /// <summary>The pure fold, for a case whose entries are all in memory (bulk import, and folds from the first event).</summary>
    public static Case? Fold(Case? snapshot, IEvent e, IReadOnlyList<RecordedEntry>? history = null)
    {
        var next = e.Data switch
        {
            CaseOpened opened => Case.Open(opened),
            CaseEntry entry when snapshot is not null => snapshot.Record(entry, history),
            FollowUps.IFollowUpEvent followUp when snapshot is not null => snapshot.WithFollowUp(followUp),
            INoteReviewEvent review when snapshot is not null => snapshot.WithReview(review),
            Transferring.ITransferEvent transfer when snapshot is not null => snapshot.WithTransfer(transfer),
            _ => snapshot,
        };

        // In Quick append mode a new event has no version yet when an inline projection sees it;
        // Marten then sets Version itself through ILongVersioned.
        if (next is not null && e.Version > 0)
        {
            next.Version = e.Version;
        }

        return next;
    }

    /// <summary>
    /// A correction or a retraction on a case loaded from its document needs every entry: they are
    /// read from the entry documents, with those recorded since the case was loaded, which are in memory.
    /// </summary>
    public override async ValueTask<Case?> EvolveAsync(Case? snapshot, Guid id, IQuerySession session, IEvent e, CancellationToken cancellation)
    {
        var history = snapshot is not null && e.Data is CaseEntry entry && Case.ChangesThePast(entry) && !snapshot.HoldsEveryEntry
            ? await HistoryAsync(session, snapshot, cancellation)
            : null;
        return Fold(snapshot, e, history);
    }

    /// <summary>Every entry of the case, in the order recorded: the stored ones, and those in memory that are newer.</summary>
    public static async Task<IReadOnlyList<RecordedEntry>> HistoryAsync(IQuerySession session, Case @case, CancellationToken ct)
    {
        var stored = await session.Query<Reading.CaseEntryView>().Where(v => v.CaseId == @case.Id).OrderBy(v => v.Position).ToListAsync(ct);
        var held = @case.Entries.Select(e => e.Id).ToHashSet();
        return [.. stored.Where(v => !held.Contains(v.Id)).Select(v => v.AsRecorded()), .. @case.Entries];
    }

    /// <summary>
    /// Stores each entry the events added or changed as a <see cref="Reading.CaseEntryView"/>: the
    /// entry itself, the one it corrects or retracts, and one whose text a legal expert removed.
    /// </summary>
    public override async ValueTask RaiseSideEffects(IDocumentOperations operations, IEventSlice<Case> slice)
    {
        if (slice.Snapshot is not { } @case)
        {
            return;
        }

        var events = slice.Events();

        // The stream positions of the slice's events, counted back from the case's next one: in
        // Quick append mode the events carry no version yet.
        var first = @case.NextPosition - events.Count;
        var views = new Dictionary<Guid, Reading.CaseEntryView>();
        async Task<Reading.CaseEntryView?> ViewAsync(Guid entryId) =>
            views.TryGetValue(entryId, out var view) ? view
            : await operations.LoadAsync<Reading.CaseEntryView>(entryId) is { } stored && stored.CaseId == @case.Id ? views[entryId] = stored
            : null;

        for (var i = 0; i < events.Count; i++)
        {
            switch (events[i].Data)
            {
                case CaseEntry entry:
                    var id = entry.Entry.EntryId;
                    views[id] = Reading.CaseEntryView.Of(@case.Id, new RecordedEntry(entry, Position: first + i));
                    if (entry.Entry.Corrects is { } corrected && await ViewAsync(corrected) is { } original)
                    {
                        original.CorrectedBy = id;
                    }

                    if (entry is EntryRetracted retraction && await ViewAsync(retraction.RetractedEntryId) is { } retracted)
                    {
                        retracted.RetractedBy = id;
                    }

                    break;
                case NoteRedacted redacted when @case.Reviews.Find(r => r.Id == redacted.ReviewId) is { } review
                    && await ViewAsync(review.About) is { } held && held.Position == review.Position:
                    held.Event = (CaseEntry)Reviewing.Redaction.Without(held.Event, review.Field);
                    break;
            }
        }

        foreach (var view in views.Values)
        {
            operations.Store(view);
        }
    }
}
