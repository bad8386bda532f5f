using JusticeTracker.Access;
using JusticeTracker.Hosting;
using Marten;
using Microsoft.AspNetCore.Authorization;
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
/// <param name="Note">Optional short note, checked for personal data; required where the entry's meaning lives in it.</param>
/// <param name="Corrects">The id of the entry this one corrects; it must be of the same kind.</param>
/// <param name="CorrectionReason">Why the earlier entry is corrected; required with <paramref name="Corrects"/>.</param>
public sealed record RecordEntry(
    Guid CommandId,
    long Version,
    FuzzyDate Occurred,
    CaseEntry Details,
    string? Note = null,
    Guid? Corrects = null,
    string? CorrectionReason = null);

public sealed record EntryRecordedResponse(Guid CaseId, Guid EntryId, long Version, bool AlreadyRecorded);

public static class RecordEntryEndpoint
{
    /// <summary>Said before the rule a retraction or correction would break.</summary>
    public const string InconsistentChange = "This change would leave the case inconsistent.";

    public static Decision Decide(Case @case, RecordEntry command, Recorder recorder, DateTimeOffset now, PersonalDataCheck personalData)
    {
        var details = command.Details;
        var problems = new Problems()
            .AddIf(command.CommandId == Guid.Empty, "commandId", "Send a new unique id with each entry.")
            .AddIf(command.Occurred is null, "occurred", "Enter when it happened.")
            .Add("note", personalData.Problem(command.Note, @case.Country))
            .AddIf(NeedsNote(details) is { } why && string.IsNullOrWhiteSpace(command.Note), "note", NeedsNote(details) ?? "");
        if (command.Occurred is { } occurred)
        {
            var began = @case.Profile.ExploitationBegan;
            problems
                .Add("occurred", ProfileRules.FutureDateProblem(occurred, now))
                .AddIf(occurred.Latest < began.Earliest, "occurred", "The date is before the exploitation began. Check the date, or correct the case profile.");
        }

        CheckCorrection(@case, command, personalData, problems);
        if (command.Corrects is null)
        {
            CheckStatus(@case, details, problems);
        }

        CheckDetails(@case, details, command.Occurred, now, problems);
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
                Blank(command.CorrectionReason)),
        };

        // Whatever the entry, the case must still make sense afterwards: this catches a sentence
        // without a conviction as well as the retraction of the conviction a sentence rests on.
        var inconsistency = Inconsistency(@case.Record(entry));
        if (inconsistency is not null)
        {
            var prefix = details is EntryRetracted || command.Corrects is not null ? InconsistentChange + " " : "";
            return Decision.Refuse("details", prefix + inconsistency);
        }

        return Decision.Accept(entry);
    }

    /// <summary>Entries whose meaning lives in the note: the note is then required.</summary>
    private static string? NeedsNote(CaseEntry details) => details switch
    {
        BarrierOvercome => "Say briefly how the barrier was overcome.",
        BarrierRecorded { Category: BarrierCategory.Other } => "Describe the barrier briefly: the category is Other.",
        TrackReopened => "Say why the track is reopened.",
        TrackClosed { Reason: CriminalClosureReason.Other } => "Say briefly why the track closed: the reason is Other.",
        ProsecutionDeclined { Reason: DeclineReason.Other } => "Say briefly why prosecution was declined: the reason is Other.",
        CompensationRejected { Reason: ClaimRejectionReason.Other } => "Say briefly why the claim was rejected: the reason is Other.",
        CaseClosed => "Say why the case is closed.",
        CaseReopened => "Say why the case is reopened.",
        EntryRetracted => "Say why the entry is retracted.",
        _ => null,
    };

    private static void CheckCorrection(Case @case, RecordEntry command, PersonalDataCheck personalData, Problems problems)
    {
        if (command.Corrects is not { } corrected)
        {
            problems.AddIf(!string.IsNullOrWhiteSpace(command.CorrectionReason), "correctionReason", "Give a correction reason only when you correct an entry.");
            return;
        }

        var target = @case.Find(corrected);
        problems
            .AddIf(string.IsNullOrWhiteSpace(command.CorrectionReason), "correctionReason", "Say why the entry is corrected.")
            .Add("correctionReason", personalData.Problem(command.CorrectionReason, @case.Country));
        if (target is null)
        {
            problems.Add("corrects", "There is no entry with this id on this case.");
        }
        else if (!target.IsStanding)
        {
            problems.Add("corrects", "This entry was already corrected or retracted. Correct the version that stands now.");
        }
        else if (target.Event is EntryRetracted or CaseClosed or CaseReopened or TrackReopened)
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

    private static void CheckDetails(Case @case, CaseEntry details, FuzzyDate? occurred, DateTimeOffset now, Problems problems)
    {
        switch (details)
        {
            case ProfileCorrected corrected:
                ProfileRules.Check(corrected.Profile, now, problems, "details.profile.");
                problems.AddIf(corrected.Profile?.OrganisationId != @case.OrganisationId, "details.profile.organisationId", "A case stays with the organisation that opened it.");
                break;
            case TestimonyGiven testimony:
                problems.AddIf(testimony.Measures is null || testimony.Measures.Distinct().Count() != testimony.Measures.Count, "details.measures", "List each child-friendly measure once (an empty list means none was used).");
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
                var recorded = @case.Find(@case.Resolve(overcome.BarrierId));
                problems.Add("details.barrierId", recorded switch
                {
                    null or { Event: not BarrierRecorded } => "There is no barrier with this id on this case.",
                    { IsStanding: false } => "This barrier was retracted.",
                    _ when !@case.OpenBarriers.Any(b => b.Entry.EntryId == recorded.Id) => "This barrier is already overcome.",
                    _ => null,
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
                var target = @case.Find(retraction.RetractedEntryId);
                problems.Add("details.retractedEntryId", target switch
                {
                    null => "There is no entry with this id on this case.",
                    { IsStanding: false } => "This entry was already corrected or retracted.",
                    { Event: EntryRetracted } => "A retraction cannot be retracted. Record the entry again if it was right.",
                    _ => null,
                });
                break;
        }
    }

    private static void CheckMoney(Money? money, Problems problems) => problems
        .AddIf(money is null, "details.amount", "Enter the amount and its currency.")
        .AddIf(money is not null && money.Amount <= 0, "details.amount.amount", "The amount must be more than zero.")
        .AddIf(money is not null && !IsoCodes.IsCurrency(money.Currency), "details.amount.currency", "Use the three-letter ISO 4217 currency code, for example KES, PHP or EUR.");

    /// <summary>The combinations the brief calls impossible, checked on the entries that stand.</summary>
    public static string? Inconsistency(Case @case)
    {
        var standing = @case.Standing.ToList();
        var began = @case.Profile.ExploitationBegan;
        if (standing.OfType<SentenceImposed>().Any() && !standing.OfType<VerdictDelivered>().Any(v => v.IsConviction))
        {
            return "A sentence needs a conviction. Record the verdict first.";
        }

        if (standing.OfType<AppealFiled>().Any() && !standing.OfType<VerdictDelivered>().Any())
        {
            return "An appeal needs a verdict. Record the verdict first.";
        }

        if (standing.OfType<AppealDecided>().Any() && !standing.OfType<AppealFiled>().Any())
        {
            return "An appeal decision needs an appeal. Record the appeal first.";
        }

        if (standing.OfType<CompensationPaid>().Any() && !standing.OfType<CompensationAwarded>().Any())
        {
            return "A payment needs an award. Record the award first.";
        }

        var running = standing.OfType<ServiceStarted>().CountBy(s => s.Service).ToDictionary();
        if (standing.OfType<ServiceEnded>().CountBy(s => s.Service).FirstOrDefault(e => e.Value > running.GetValueOrDefault(e.Key)) is { Value: > 0 })
        {
            return "A service cannot end before it started. Record its start first.";
        }

        if (standing.OfType<BarrierOvercome>().Any(o => @case.Find(@case.Resolve(o.BarrierId)) is not { IsStanding: true }))
        {
            return "A barrier marked overcome must stand. Retract the entry that marks it overcome first.";
        }

        if (standing.Any(e => e.Entry.Occurred.Latest < began.Earliest))
        {
            return "Some entries are dated before the exploitation began.";
        }

        return null;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>How recording ended, for the API and the pages to answer in their own forms.</summary>
    public abstract record Outcome;

    public sealed record Recorded(long Version) : Outcome;

    /// <summary>This command was already carried out: a retry or a double submit. Nothing was added.</summary>
    public sealed record AlreadyRecorded(long Version) : Outcome;

    /// <summary>The case changed since its author saw it; nothing was recorded.</summary>
    public sealed record Stale(Case Current) : Outcome;

    public sealed record Refused(IReadOnlyDictionary<string, string[]> Problems) : Outcome;

    public sealed record NotFound : Outcome;

    /// <summary>Records the entry: the one place both the API and the pages go through.</summary>
    public static async Task<Outcome> ExecuteAsync(
        Guid caseId,
        RecordEntry command,
        HttpContext context,
        IDocumentSession session,
        IDocumentStore store,
        TimeProvider clock,
        PersonalDataCheck personalData,
        CancellationToken ct) =>
        context.CountCommand("RecordEntry", await DecideAndSaveAsync(caseId, command, context, session, store, clock, personalData, ct));

    private static async Task<Outcome> DecideAndSaveAsync(
        Guid caseId,
        RecordEntry command,
        HttpContext context,
        IDocumentSession session,
        IDocumentStore store,
        TimeProvider clock,
        PersonalDataCheck personalData,
        CancellationToken ct,
        int attempt = 1)
    {
        var user = CurrentUser.From(context.User);
        var stream = await session.Events.FetchForWriting<Case>(caseId, ct);
        var @case = stream.Aggregate;
        if (!context.Admit(@case, AuditActions.CaseChange))
        {
            return new NotFound();
        }

        // A retry of an entry already recorded answers as the first attempt did, even though the
        // version it carries is now stale: idempotency is checked before concurrency.
        if (@case.HasEntry(command.CommandId))
        {
            return new AlreadyRecorded(@case.Version);
        }

        if (@case.IsStale(command.Version))
        {
            return new Stale(@case);
        }

        var decision = Decide(@case, command, user.AsRecorder(), clock.GetUtcNow(), personalData);
        if (decision.IsRefused)
        {
            return new Refused(decision.Problems);
        }

        // Marten stores the user on every event it appends (its user_name metadata).
        session.LastModifiedBy = user.UserId;
        stream.AppendMany(decision.Events);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (Failures.IsConcurrency(ex))
        {
            // Someone else wrote between our read and our write, possibly this same command sent twice.
            session.EjectAllPendingChanges();
            await using var fresh = store.QuerySession();
            var latest = await fresh.LoadAsync<Case>(caseId, ct);
            if (latest is not null && latest.HasEntry(command.CommandId))
            {
                return new AlreadyRecorded(latest.Version);
            }

            // Only a follow-up was raised or acted on meanwhile: the entry still fits the case.
            return latest is not null && !latest.IsStale(command.Version) && attempt < 3
                ? await DecideAndSaveAsync(caseId, command with { Version = latest.Version }, context, session, store, clock, personalData, ct, attempt + 1)
                : new Stale(latest ?? @case);
        }

        return new Recorded(@case.Version + decision.Events.Count);
    }

    [WolverinePost("/api/cases/{caseId}/entries")]
    [Authorize(Policy = Policies.CaseWork)]
    public static async Task<IResult> Post(
        Guid caseId,
        RecordEntry command,
        HttpContext context,
        IDocumentSession session,
        IDocumentStore store,
        TimeProvider clock,
        PersonalDataCheck personalData,
        CancellationToken ct) =>
        await ExecuteAsync(caseId, command, context, session, store, clock, personalData, ct) switch
        {
            Recorded r => Results.Ok(new EntryRecordedResponse(caseId, command.CommandId, r.Version, AlreadyRecorded: false)),
            AlreadyRecorded a => Results.Ok(new EntryRecordedResponse(caseId, command.CommandId, a.Version, AlreadyRecorded: true)),
            Stale stale => CaseProblems.Stale(stale.Current, command.Version),
            Refused refused => Results.ValidationProblem(refused.Problems, title: "The entry was not recorded."),
            _ => CaseProblems.NotFound(),
        };
}
