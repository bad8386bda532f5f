using JusticeTracker.Access;
using JusticeTracker.Cases.Reviewing;
using Marten;
using Wolverine.Http;

namespace JusticeTracker.Cases.Recording;

/// <summary>
/// Records one entry on a case: a milestone, a barrier, a right, a closure, a retraction, or a
/// correction of an earlier entry (<see cref="Corrects"/>).
/// </summary>
/// <param name="CommandId">A new id per entry; it becomes the entry id, so a retry records nothing twice.</param>
/// <param name="Version">The case version the author saw. If the case changed since, the entry is refused with 409.</param>
/// <param name="Occurred">When it happened, and how precisely that is known.</param>
/// <param name="Details">The entry itself; <c>kind</c> names it, e.g. <c>VerdictDelivered</c>.</param>
/// <param name="Note">Optional short note, checked for personal data (a possible finding holds it for review); required where the entry's meaning lives in it.</param>
/// <param name="Corrects">The id of the entry this one corrects; it must be of the same kind.</param>
/// <param name="CorrectionReason">Why the earlier entry is corrected; required with <paramref name="Corrects"/>.</param>
/// <param name="LocalStage">The step of the case country's legal pathway the entry records, e.g. <c>SN.PARTIE_CIVILE</c>; the entry must be the common step it maps to.</param>
public sealed record RecordEntry(
    Guid CommandId,
    long Version,
    FuzzyDate Occurred,
    CaseEntry Details,
    string? Note = null,
    Guid? Corrects = null,
    string? CorrectionReason = null,
    string? LocalStage = null);

/// <summary>The entry recorded; <c>HeldForReview</c> names its texts that may hold personal data, recorded and waiting for a legal expert.</summary>
public sealed record EntryRecordedResponse(Guid CaseId, Guid EntryId, long Version, bool AlreadyRecorded, IReadOnlyList<NoteField>? HeldForReview = null);

public static class RecordEntryEndpoint
{
    /// <summary>Said before the rule a retraction or correction would break.</summary>
    public const string InconsistentChange = "This change would leave the case inconsistent.";

    /// <summary>
    /// Decides on the entry. <paramref name="known"/> holds the earlier entries the command names
    /// (<see cref="KnownAsync"/>), or every entry for a correction or a retraction; by default,
    /// the entries the case holds in memory. For a case joining a proceeding,
    /// <paramref name="proceedingKnown"/> says whether any case is linked to its key.
    /// </summary>
    public static Decision Decide(Case @case, RecordEntry command, Recorder recorder, DateTimeOffset now, PersonalDataCheck personalData, IReadOnlyList<RecordedEntry>? known = null, bool proceedingKnown = true)
    {
        var entries = known ?? @case.Entries;
        var details = command.Details;
        var texts = new FreeTexts(personalData, @case.Country);
        var problems = new Problems()
            .AddIf(command.CommandId == Guid.Empty, "commandId", "Send a new unique id with each entry.")
            .AddIf(command.Occurred is null, "occurred", "Enter when it happened.");
        texts.Check(Blank(command.Note), NoteField.Note, problems, "note");
        problems.AddIf(NeedsNote(details) is { } why && string.IsNullOrWhiteSpace(command.Note), "note", NeedsNote(details) ?? "");
        if (command.Occurred is { } occurred)
        {
            var began = @case.Profile.ExploitationBegan;
            problems
                .Add("occurred", ProfileRules.FutureDateProblem(occurred, now))
                .AddIf(occurred.Latest < began.Earliest, "occurred", "The date is before the exploitation began. Check the date, or correct the case profile.");
        }

        CheckCorrection(entries, command, texts, problems);
        if (command.Corrects is null)
        {
            CheckStatus(@case, details, problems);
        }

        details = LinkClaim(@case, entries, command, problems);
        CheckDetails(@case, entries, details, command.Occurred, now, problems);
        CheckProceeding(@case, details, command.Corrects is not null, proceedingKnown, problems);
        var kept = command.Corrects is { } corrected ? entries.FirstOrDefault(e => e.Id == corrected)?.Event.Entry.LocalStage : null;
        problems.Add("localStage", Pathways.Pathways.Problem(@case.Country, details, Blank(command.LocalStage), command.Corrects is not null, kept));
        if (problems.Any)
        {
            return Decision.Refuse(problems);
        }

        var entry = details with
        {
            Entry = new EntryInfo(
                command.CommandId,
                FuzzyDate.Of(command.Occurred!.Date, command.Occurred.Precision),
                now,
                recorder,
                Blank(command.Note),
                command.Corrects,
                Blank(command.CorrectionReason),
                Blank(command.LocalStage)),
        };

        // Whatever the entry, the case must still make sense afterwards: this catches a sentence
        // without a conviction as well as the retraction of the conviction a sentence rests on.
        var inconsistency = Inconsistency(@case.Record(entry, Case.ChangesThePast(entry) ? entries : null));
        if (inconsistency is not null)
        {
            return Decision.Refuse(new Problems()
                .AddIf(details is EntryRetracted || command.Corrects is not null, "details", InconsistentChange)
                .Add("details", inconsistency));
        }

        return Decision.Accept([entry, .. texts.HeldFor(@case, entry.Entry.EntryId, now)]);
    }

    /// <summary>
    /// An answer to a claim (a decision, a payment) names the claim it answers. When it names none,
    /// the one claim it can answer is taken; a correction keeps the claim of what it corrects. A case
    /// document kept before claims were listed lists none, and its answers stay unnamed.
    /// </summary>
    private static CaseEntry LinkClaim(Case @case, IReadOnlyList<RecordedEntry> entries, RecordEntry command, Problems problems)
    {
        var details = command.Details;
        if (details is not IClaimAnswer answer || @case.Claims.Count == 0)
        {
            return details;
        }

        var correcting = command.Corrects is not null;
        if (answer.Claim is null && correcting && (entries.FirstOrDefault(e => e.Id == command.Corrects)?.Event as IClaimAnswer)?.Claim is { } corrected)
        {
            return Answering(details, corrected);
        }

        // A correction may keep the claim its entry answered, or move to one waiting for that answer.
        var answered = correcting ? (entries.FirstOrDefault(e => e.Id == command.Corrects)?.Event as IClaimAnswer)?.Claim : null;
        if (answer.Claim is { } id)
        {
            var claim = @case.Claims.Find(c => c.Names(id));
            problems.Add("details.claim", claim switch
            {
                null => "There is no claim with this id on this case.",
                _ when claim.Awaits(answer) || (answered is { } kept && claim.Names(kept)) => null,
                _ when answer is CompensationPaid => "A payment needs an award of its claim. Record the award first.",
                _ => "This claim was already decided. Correct that decision instead.",
            });
            return details;
        }

        var open = @case.Claims.FindAll(c => c.Awaits(answer));
        if (open.Count == 1)
        {
            return Answering(details, open[0].Id);
        }

        problems.Add("details.claim", open.Count > 1 ? "Say which claim this answers: the case has several."
            : correcting ? null
            : answer is CompensationPaid ? "A payment needs an award of its claim. Record the award first."
            : "Every claim on this case is decided already. Record the new claim first, or correct the decision.");
        return details;
    }

    /// <summary>A case is linked to one proceeding at a time, by a key that exists; the handover of a proceeding's count is the system's alone.</summary>
    private static void CheckProceeding(Case @case, CaseEntry details, bool correcting, bool proceedingKnown, Problems problems)
    {
        switch (details)
        {
            case ProceedingLinked linked:
                problems.Add("details.proceeding", linked switch
                {
                    _ when correcting => "A link to a proceeding cannot be corrected. Retract it, then link the case again.",
                    _ when @case.Proceeding is not null => "This case is already linked to a proceeding. Retract that link first.",
                    { Proceeding: var key } when Linking.Proceedings.Normalise(key) != key => "Enter the proceeding's key as it was given to you, for example PR-7K3M9Q2XTD, or leave it empty to start a new proceeding.",
                    { Starts: false } when !proceedingKnown => "There is no proceeding with this key. Check it with whoever gave it to you.",
                    _ => null,
                });
                break;
            case ProceedingLeadTaken:
                problems.Add("details", "The system records this entry by itself when the case counting a proceeding leaves it.");
                break;
        }
    }

    /// <summary>The answer, naming the claim it answers.</summary>
    public static CaseEntry Answering(CaseEntry details, Guid claim) => details switch
    {
        CompensationAwarded a => a with { Claim = claim },
        CompensationRejected r => r with { Claim = claim },
        CompensationClaimWithdrawn w => w with { Claim = claim },
        CompensationPaid p => p with { Claim = claim },
        _ => details,
    };

    /// <summary>Entries whose meaning lives in the note: the note is then required.</summary>
    private static string? NeedsNote(CaseEntry details) => details switch
    {
        BarrierOvercome => "Say briefly how the barrier was overcome.",
        BarrierRecorded { Category: BarrierCategory.Other } => "Describe the barrier briefly: the category is Other.",
        TrackReopened => "Say why the track is reopened.",
        TrackClosed { Reason: CriminalClosureReason.Other } => "Say briefly why the track closed: the reason is Other.",
        ProsecutionDeclined { Reason: DeclineReason.Other } => "Say briefly why prosecution was declined: the reason is Other.",
        CompensationRejected { Reason: ClaimRejectionReason.Other } => "Say briefly why the claim was rejected: the reason is Other.",
        ReparationOrdered { Reparation: ReparationKind.Other } => "Say briefly what reparation was ordered: the kind is Other.",
        CaseClosed => "Say why the case is closed.",
        CaseReopened => "Say why the case is reopened.",
        EntryRetracted => "Say why the entry is retracted.",
        _ => null,
    };

    private static void CheckCorrection(IReadOnlyList<RecordedEntry> entries, RecordEntry command, FreeTexts texts, Problems problems)
    {
        if (command.Corrects is not { } corrected)
        {
            problems.AddIf(!string.IsNullOrWhiteSpace(command.CorrectionReason), "correctionReason", "Give a correction reason only when you correct an entry.");
            return;
        }

        var target = entries.FirstOrDefault(e => e.Id == corrected);
        problems.AddIf(string.IsNullOrWhiteSpace(command.CorrectionReason), "correctionReason", "Say why the entry is corrected.");
        texts.Check(Blank(command.CorrectionReason), NoteField.CorrectionReason, problems, "correctionReason");
        if (target is null)
        {
            problems.Add("corrects", "There is no entry with this id on this case.");
        }
        else if (!target.IsStanding)
        {
            problems.Add("corrects", "This entry was already corrected or retracted. Correct the version that stands now.");
        }
        else if (target.Event is EntryRetracted or CaseClosed or CaseReopened or TrackReopened or ProceedingLinked or ProceedingLeadTaken)
        {
            problems.Add("corrects", "This kind of entry cannot be corrected. Retract it instead, with a reason.");
        }
        else if (target.Event.GetType() != command.Details.GetType())
        {
            problems.Add("corrects", "A correction must be the same kind of entry as the one it corrects. To withdraw an entry, retract it.");
        }
    }

    private static void CheckStatus(Case @case, CaseEntry details, Problems problems)
    {
        var problem = details switch
        {
            CaseReopened when @case.Status == CaseStatus.Open => "The case is already open.",
            EntryRetracted or CaseReopened => null,
            _ when @case.Status == CaseStatus.Closed => "This case is closed. Reopen it before recording new entries.",
            CaseClosed => null,
            TrackReopened r when @case.StatusOf(r.ReopenedTrack) != TrackStatus.Closed => "This track is not closed.",
            TrackClosed c when @case.StatusOf(c.ClosedTrack) == TrackStatus.Closed => "This track is already closed.",
            TrackClosed or TrackReopened => null,
            { Track: { } track } when @case.StatusOf(track) == TrackStatus.Closed => "This track is closed. Reopen it before recording entries on it.",
            _ => null,
        };
        problems.Add("details", problem);
    }

    private static void CheckDetails(Case @case, IReadOnlyList<RecordedEntry> entries, CaseEntry details, FuzzyDate? occurred, DateTimeOffset now, Problems problems)
    {
        switch (details)
        {
            case ProfileCorrected corrected:
                ProfileRules.Check(corrected.Profile, now, problems, "details.profile.");
                problems.AddIf(corrected.Profile?.OrganisationId != @case.OrganisationId, "details.profile.organisationId", "A correction cannot move the case to another organisation: transfer it instead.");
                break;
            case IOffenderEntry about when about.Offender < 1 || about.Offender > @case.NextOffender:
                problems.Add("details.offender", "Number the offenders 1, 2, 3… in the order they appear: a new one is Offender {0}.", @case.NextOffender);
                break;
            case VerdictDelivered { IsConviction: false, ConvictedOf: not null }:
                problems.Add("details.convictedOf", "An offence convicted of goes only with a conviction.");
                break;
            case SentenceImposed { Length: not null, Type: not (SentenceType.Imprisonment or SentenceType.SuspendedImprisonment) }:
                problems.Add("details.length", "A length goes only with a prison term, suspended or not.");
                break;
            case TestimonyGiven testimony:
                problems.AddIf(testimony.Measures is null || testimony.Measures.Distinct().Count() != testimony.Measures.Count, "details.measures", "List each child-friendly measure once (an empty list means none was used).");
                break;
            case ChildHeard heard:
                problems
                    .AddIf(heard.Measures is null || heard.Measures.Distinct().Count() != heard.Measures.Count, "details.measures", "List each child-friendly measure once (an empty list means none was used).")
                    .AddIf(heard.Interviews is < 1 or > 50, "details.interviews", "Enter how many interviews it took, from 1 to 50.");
                break;
            case CompensationClaimed { Claimed: { } claimed }:
                problems
                    .AddIf(claimed.Amount <= 0, "details.claimed.amount", "The amount claimed must be more than zero.")
                    .AddIf(!IsoCodes.IsCurrency(claimed.Currency), "details.claimed.currency", "Use the three-letter ISO 4217 currency code, for example KES, PHP or EUR.");
                break;
            case CompensationAwarded award:
                CheckMoney(award.Amount, problems);
                break;
            case CompensationPaid payment:
                CheckMoney(payment.Amount, problems);
                break;
            case BarrierRecorded barrier:
                problems.AddIf(barrier.BlockedStage is { } stage && stage.TrackOf() != barrier.BlockedTrack, "details.blockedStage", "This stage is not on the track the barrier blocks.");
                break;
            case BarrierOvercome overcome:
                // The barrier stands under its latest version, which knows the ids of those it corrected.
                problems.Add("details.barrierId", @case.Barriers.Find(b => b.Names(overcome.BarrierId)) switch
                {
                    { IsOpen: false } => "This barrier is already overcome.",
                    { } => null,
                    null when entries.Any(e => e.Id == overcome.BarrierId && e.Event is BarrierRecorded) => "This barrier was retracted.",
                    null => "There is no barrier with this id on this case.",
                });
                break;
            case LimitationDateRecorded limitation:
                // Normally in the future, but it cannot have passed before it was set. When the date
                // it was set is known only to the month or the year, only a surely earlier expiry is refused.
                problems.AddIf(occurred is not null && limitation.Expires < occurred.Earliest, "details.expires", "The limitation date cannot be before the date it was set.");
                break;
            case TrackClosed closed:
                problems
                    .AddIf(closed.ClosedTrack == Track.CriminalJustice && closed.Reason is null, "details.reason", "Choose why the criminal justice track closed.")
                    .AddIf(closed.ClosedTrack != Track.CriminalJustice && closed.Reason is not null, "details.reason", "Only the criminal justice track takes a closure reason.");
                break;
            case EntryRetracted retraction:
                var target = entries.FirstOrDefault(e => e.Id == retraction.RetractedEntryId);
                problems.Add("details.retractedEntryId", target switch
                {
                    null => "There is no entry with this id on this case.",
                    { IsStanding: false } => "This entry was already corrected or retracted.",
                    { Event: EntryRetracted } => "A retraction cannot be retracted. Record the entry again if it was right.",
                    { Event: ProceedingLeadTaken } => "The system records this entry. To leave the proceeding, retract the link.",
                    _ => null,
                });
                break;
        }
    }

    private static void CheckMoney(Money? money, Problems problems) => problems
        .AddIf(money is null, "details.amount", "Enter the amount and its currency.")
        .AddIf(money is not null && money.Amount <= 0, "details.amount.amount", "The amount must be more than zero.")
        .AddIf(money is not null && !IsoCodes.IsCurrency(money.Currency), "details.amount.currency", "Use the three-letter ISO 4217 currency code, for example KES, PHP or EUR.");

    /// <summary>The combinations the brief calls impossible, checked on the entries that stand (counted in the case's tally).</summary>
    public static string? Inconsistency(Case @case)
    {
        int Count<T>() where T : CaseEntry => @case.Count(typeof(T).Name);
        if (Count<SentenceImposed>() > 0 && @case.Count(Case.Conviction) == 0)
        {
            return "A sentence needs a conviction. Record the verdict first.";
        }

        if (Count<AppealFiled>() > 0 && Count<VerdictDelivered>() == 0)
        {
            return "An appeal needs a verdict. Record the verdict first.";
        }

        if (Count<AppealDecided>() > 0 && Count<AppealFiled>() == 0)
        {
            return "An appeal decision needs an appeal. Record the appeal first.";
        }

        // Each offender's own: a sentence rests on that offender's conviction, an appeal on their verdict.
        int Of<T>(int offender) where T : CaseEntry => @case.Count(Case.OfOffender(typeof(T).Name, offender));
        foreach (var offender in @case.Offenders.Select(o => o.Number))
        {
            if (Of<SentenceImposed>(offender) > 0 && @case.Count(Case.OfOffender(Case.Conviction, offender)) == 0)
            {
                return "A sentence needs a conviction. Record the verdict first.";
            }

            if (Of<AppealFiled>(offender) > 0 && Of<VerdictDelivered>(offender) == 0)
            {
                return "An appeal needs a verdict. Record the verdict first.";
            }

            if (Of<AppealDecided>(offender) > 0 && Of<AppealFiled>(offender) == 0)
            {
                return "An appeal decision needs an appeal. Record the appeal first.";
            }
        }

        if (Count<CompensationPaid>() > 0 && Count<CompensationAwarded>() == 0)
        {
            return "A payment needs an award. Record the award first.";
        }

        // Each claim's own: a payment pays its claim's award, and an answer answers a claim that stands.
        if (@case.Claims.Any(c => c.Paid && c.Outcome != ClaimOutcome.Awarded))
        {
            return "A payment needs an award of its claim. Record the award first.";
        }

        if (@case.Claims.Any(c => c.Decisions > 1))
        {
            return "A claim is decided once. Correct its decision instead.";
        }

        if (@case.UnansweredClaimLinks > 0)
        {
            return "A decision or a payment must answer a claim that stands. Retract it first.";
        }

        if (Enum.GetValues<RecoveryService>().Any(s => @case.Count($"{nameof(ServiceEnded)}:{s}") > @case.Count($"{nameof(ServiceStarted)}:{s}")))
        {
            return "A service cannot end before it started. Record its start first.";
        }

        // Each standing "overcome" marks a standing barrier, unless the barrier was retracted.
        if (Count<BarrierOvercome>() > @case.Barriers.Count(b => !b.IsOpen))
        {
            return "A barrier marked overcome must stand. Retract the entry that marks it overcome first.";
        }

        if (@case.EarliestOccurred < @case.Profile.ExploitationBegan.Earliest)
        {
            return "Some entries are dated before the exploitation began.";
        }

        return null;
    }

    /// <summary>
    /// The earlier entries a command needs decided on, from their documents: every entry for a
    /// correction or a retraction, since the whole case must still make sense after it; the
    /// barrier a "barrier overcome" names; otherwise none.
    /// </summary>
    public static async Task<IReadOnlyList<RecordedEntry>> KnownAsync(IQuerySession session, Case @case, RecordEntry command, CancellationToken ct)
    {
        if (command.Corrects is not null || command.Details is EntryRetracted)
        {
            return await CaseProjection.HistoryAsync(session, @case, ct);
        }

        return command.Details is BarrierOvercome overcome && await session.LoadAsync<Reading.CaseEntryView>(overcome.BarrierId, ct) is { } named && named.CaseId == @case.Id
            ? [named.AsRecorded()]
            : [];
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Records the entry: the one place both the API and the pages go through.</summary>
    public static Task<Result<Case>> ExecuteAsync(Guid caseId, RecordEntry command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct)
    {
        // A proceeding's key is the server's to make, and whether a case starts one is the server's to say.
        if (command.Details is ProceedingLinked link)
        {
            command = command with
            {
                Details = string.IsNullOrWhiteSpace(link.Proceeding)
                    ? link with { Proceeding = Linking.Proceedings.NewKey(), Starts = true }
                    : link with { Proceeding = Linking.Proceedings.Normalise(link.Proceeding) ?? link.Proceeding, Starts = false },
            };
        }

        var write = new Write<Case>("RecordEntry", AuditActions.CaseChange, caseId, CaseAccess.Admits(AuditActions.CaseChange))
        {
            CommandId = command.CommandId,
            Seen = command.Version,
            Store = async (documents, stream, decision, token) =>
            {
                // Joining a proceeding no linked case counts any more: this case counts it.
                var events = new List<object>(decision.Events.Count);
                foreach (var e in decision.Events)
                {
                    events.Add(e is ProceedingLinked { Starts: false } joining ? await Linking.Proceedings.JoiningAsync(documents, joining, caseId, token) : e);
                }

                stream.AppendMany(events);

                // The case that counts its proceeding leaves it: another linked case takes the count over.
                if (stream.Aggregate is { LeadsProceeding: true, Proceeding: { } key } && decision.Events.OfType<EntryRetracted>().FirstOrDefault() is { } retraction
                    && (await documents.LoadAsync<Reading.CaseEntryView>(retraction.RetractedEntryId, token))?.AsRecorded().Event is ProceedingLinked)
                {
                    await Linking.Proceedings.HandOverAsync(documents, key, [caseId], clock.GetUtcNow(), token);
                }
            },
        };
        return context.WriteAsync(
            session,
            write,
            async (@case, user) => Decide(
                @case!, command, user.AsRecorder(), clock.GetUtcNow(), personalData, await KnownAsync(session, @case!, command, ct),
                command.Details is not ProceedingLinked { Starts: false, Proceeding: { } key } || Linking.Proceedings.Normalise(key) is null
                || await session.Query<Case>().AnyAsync(c => c.Proceeding == key, ct)),
            ct);
    }

    /// <summary>Its texts that wait for a legal expert's review.</summary>
    public static IReadOnlyList<NoteField> HeldForReview(this Result<Case> result) => [.. result.Events.OfType<NoteHeldForReview>().Select(h => h.Field)];

    [WolverinePost("/api/cases/{caseId}/entries")]
    public static async Task<IResult> Post(Guid caseId, RecordEntry command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct) =>
        (await ExecuteAsync(caseId, command, context, session, clock, personalData, ct)).ToHttp(
            context,
            "The entry was not recorded.",
            r => Results.Ok(new EntryRecordedResponse(caseId, command.CommandId, r.Version, AlreadyRecorded: r.Ending == Ending.Repeated, r.HeldForReview())),
            command.Version);
}
