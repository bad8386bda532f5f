using System.Text.Json.Serialization;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reviewing;
using Marten;
using Wolverine.Http;

namespace JusticeTracker.FollowUps;

[JsonConverter(typeof(JsonStringEnumConverter<FollowUpAction>))]
public enum FollowUpAction { Acknowledge, Snooze, Resolve }

/// <summary>What someone does with a follow-up.</summary>
/// <param name="Action">Acknowledge it, snooze it until a day, or resolve it.</param>
/// <param name="Until">For a snooze: the day it should come back, within a year.</param>
/// <param name="Note">Why it is snoozed (required) or how it was resolved (optional); checked for personal data, and held for review if it may hold some.</param>
public sealed record ActOnFollowUp(FollowUpAction Action, DateOnly? Until = null, string? Note = null);

/// <summary>What the action left; <c>HeldForReview</c> says the note was kept but may hold personal data, so a legal expert will review it.</summary>
public sealed record FollowUpActedResponse(Guid CaseId, Guid FollowUpId, FollowUpStatus Status, long Version, bool AlreadyDone, bool HeldForReview = false);

public static class ActOnFollowUpEndpoint
{
    /// <summary>The event the action records, nothing if it is already so (a double submit), or the problems that refuse it.</summary>
    public static Decision Decide(Case @case, Guid followUpId, ActOnFollowUp command, Recorder by, DateTimeOffset now, PersonalDataCheck personalData)
    {
        var followUp = @case.FollowUps.Find(f => f.Id == followUpId);
        if (followUp is null)
        {
            return Decision.Missing("followUpId", "There is no such follow-up on this case.");
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var already = command.Action switch
        {
            FollowUpAction.Acknowledge => followUp.Status == FollowUpStatus.Acknowledged,
            FollowUpAction.Snooze => followUp.Status == FollowUpStatus.Snoozed && followUp.SnoozedUntil == command.Until,
            _ => followUp.IsResolved,
        };
        if (already)
        {
            return Decision.Accept();
        }

        if (followUp.IsResolved)
        {
            return Decision.Refuse("action", "This follow-up is already resolved.");
        }

        var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
        var problems = new Problems();
        var texts = new FreeTexts(personalData, @case.Country).Check(note, command.Action == FollowUpAction.Snooze ? NoteField.SnoozeReason : NoteField.ResolutionNote, problems, "note");
        if (command.Action == FollowUpAction.Snooze)
        {
            problems
                .AddIf(command.Until is null, "until", "Choose the day it should come back.")
                .AddIf(command.Until is { } until && until <= today, "until", "Choose a day after today.")
                .AddIf(command.Until is { } later && later > today.AddYears(1), "until", "Snooze for a year at most.")
                .AddIf(note is null, "note", "Say why it can wait.");
        }

        if (problems.Any)
        {
            return Decision.Refuse(problems);
        }

        // An acknowledgement keeps no note, so there is nothing to hold.
        return command.Action switch
        {
            FollowUpAction.Acknowledge => Decision.Accept(new FollowUpAcknowledged(followUpId, by, now)),
            FollowUpAction.Snooze => Decision.Accept([new FollowUpSnoozed(followUpId, command.Until!.Value, note!, by, now), .. texts.HeldFor(@case, followUpId, now)]),
            _ => Decision.Accept([new FollowUpResolved(followUpId, note, by, now), .. texts.HeldFor(@case, followUpId, now)]),
        };
    }

    /// <summary>
    /// The one place the API and the pages act on a follow-up. Who may see the case may act on its
    /// follow-ups. The action does not depend on the case's entries: a follow-up check writing to the
    /// case at the same moment only makes the write path decide again on the case as it is now.
    /// </summary>
    public static Task<Result<Case>> ExecuteAsync(Guid caseId, Guid followUpId, ActOnFollowUp command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct) =>
        context.WriteAsync(
            session,
            new Write<Case>("ActOnFollowUp", AuditActions.CaseChange, caseId, CaseAccess.Admits(AuditActions.CaseChange)),
            (@case, user) => Decide(@case!, followUpId, command, user.AsRecorder(), clock.GetUtcNow(), personalData),
            ct);

    /// <summary>The follow-up as the command left it.</summary>
    public static FollowUp FollowUpNow(this Result<Case> result, Guid followUpId) =>
        result.Events.OfType<IFollowUpEvent>().Aggregate(result.State!, (c, e) => c.WithFollowUp(e)).FollowUps.Single(f => f.Id == followUpId);

    [WolverinePost("/api/cases/{caseId}/follow-ups/{followUpId}")]
    public static async Task<IResult> Post(Guid caseId, Guid followUpId, ActOnFollowUp command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct) =>
        (await ExecuteAsync(caseId, followUpId, command, context, session, clock, personalData, ct)).ToHttp(context, "Nothing was changed.", r =>
            Results.Ok(new FollowUpActedResponse(caseId, followUpId, r.FollowUpNow(followUpId).Status, r.Version, r.Ending == Ending.Repeated, r.Events.OfType<NoteHeldForReview>().Any())));
}

public static class FollowUpListEndpoint
{
    /// <summary>The signed-in user's due and overdue follow-ups; legal experts may narrow them to a country.</summary>
    [WolverineGet("/api/follow-ups")]
    public static async Task<FollowUpList> Get(string? country, int? page, int? pageSize, HttpContext context, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        context.Action(AuditActions.CaseList);
        var user = CurrentUser.From(context.User);
        return await FollowUpQueries.ListAsync(
            session, user, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), user.IsLegalExpert ? country : null,
            Math.Clamp(page ?? 1, 1, 100_000), Math.Clamp(pageSize ?? 50, 1, 200), ct);
    }
}
