using System.Text.Json.Serialization;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Cases;
using JusticeTracker.Hosting;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace JusticeTracker.FollowUps;

[JsonConverter(typeof(JsonStringEnumConverter<FollowUpAction>))]
public enum FollowUpAction { Acknowledge, Snooze, Resolve }

/// <summary>What someone does with a follow-up.</summary>
/// <param name="Action">Acknowledge it, snooze it until a day, or resolve it.</param>
/// <param name="Until">For a snooze: the day it should come back, within a year.</param>
/// <param name="Note">Why it is snoozed (required) or how it was resolved (optional); checked for personal data.</param>
public sealed record ActOnFollowUp(FollowUpAction Action, DateOnly? Until = null, string? Note = null);

public sealed record FollowUpActedResponse(Guid CaseId, Guid FollowUpId, FollowUpStatus Status, long Version, bool AlreadyDone);

public static class ActOnFollowUpEndpoint
{
    /// <summary>The event the action records, nothing if it is already so (a double submit), or the problems that refuse it.</summary>
    public static Decision Decide(Case @case, Guid followUpId, ActOnFollowUp command, Recorder by, DateTimeOffset now, PersonalDataCheck personalData)
    {
        var followUp = @case.FollowUps.Find(f => f.Id == followUpId);
        if (followUp is null)
        {
            return Decision.Refuse("followUpId", "There is no such follow-up on this case.");
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
        var problems = new Problems().Add("note", personalData.Problem(note, @case.Country));
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

        return Decision.Accept(command.Action switch
        {
            FollowUpAction.Acknowledge => new FollowUpAcknowledged(followUpId, by, now),
            FollowUpAction.Snooze => new FollowUpSnoozed(followUpId, command.Until!.Value, note!, by, now),
            _ => new FollowUpResolved(followUpId, note, by, now),
        });
    }

    public abstract record Outcome;

    public sealed record Done(FollowUpStatus Status, long Version, bool AlreadyDone) : Outcome;

    public sealed record Refused(IReadOnlyDictionary<string, string[]> Problems) : Outcome;

    public sealed record NotFound : Outcome;

    /// <summary>The one place the API and the pages act on a follow-up. Who may see the case may act on its follow-ups.</summary>
    public static async Task<Outcome> ExecuteAsync(Guid caseId, Guid followUpId, ActOnFollowUp command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct) =>
        context.CountCommand("ActOnFollowUp", await DecideAndSaveAsync(caseId, followUpId, command, context, session, clock, personalData, ct));

    private static async Task<Outcome> DecideAndSaveAsync(Guid caseId, Guid followUpId, ActOnFollowUp command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct)
    {
        // The follow-up checker may write to the case at the same moment; the action does not
        // depend on the case's entries, so it is simply tried again on the case as it is now.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAsync(caseId, followUpId, command, context, session, clock, personalData, ct);
            }
            catch (Exception ex) when (Failures.IsConcurrency(ex) && attempt < 3)
            {
                session.EjectAllPendingChanges();
            }
        }
    }

    private static async Task<Outcome> TryAsync(Guid caseId, Guid followUpId, ActOnFollowUp command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Case>(caseId, ct);
        if (!context.Admit(stream.Aggregate, AuditActions.CaseChange))
        {
            return new NotFound();
        }

        var @case = stream.Aggregate;
        var user = CurrentUser.From(context.User);
        var decision = Decide(@case, followUpId, command, user.AsRecorder(), clock.GetUtcNow(), personalData);
        if (decision.IsRefused)
        {
            return decision.Problems.ContainsKey("followUpId") ? new NotFound() : new Refused(decision.Problems);
        }

        if (decision.Events.Count > 0)
        {
            session.LastModifiedBy = user.UserId;
            stream.AppendMany(decision.Events);
            await session.SaveChangesAsync(ct);
        }

        var after = decision.Events.OfType<IFollowUpEvent>().Aggregate(@case, (c, e) => c.WithFollowUp(e));
        return new Done(after.FollowUps.Single(f => f.Id == followUpId).Status, @case.Version + decision.Events.Count, decision.Events.Count == 0);
    }

    [WolverinePost("/api/cases/{caseId}/follow-ups/{followUpId}")]
    [Authorize(Policy = Policies.CaseWork)]
    public static async Task<IResult> Post(Guid caseId, Guid followUpId, ActOnFollowUp command, HttpContext context, IDocumentSession session, TimeProvider clock, PersonalDataCheck personalData, CancellationToken ct) =>
        await ExecuteAsync(caseId, followUpId, command, context, session, clock, personalData, ct) switch
        {
            Done done => Results.Ok(new FollowUpActedResponse(caseId, followUpId, done.Status, done.Version, done.AlreadyDone)),
            Refused refused => Results.ValidationProblem(refused.Problems, title: "Nothing was changed."),
            _ => CaseProblems.NotFound(),
        };
}

public static class FollowUpListEndpoint
{
    /// <summary>The signed-in user's due and overdue follow-ups; legal experts may narrow them to a country.</summary>
    [WolverineGet("/api/follow-ups")]
    [Authorize(Policy = Policies.CaseWork)]
    public static async Task<FollowUpList> Get(string? country, int? page, int? pageSize, HttpContext context, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        context.Action(AuditActions.CaseList);
        var user = CurrentUser.From(context.User);
        return await FollowUpQueries.ListAsync(
            session, user, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), user.IsLegalExpert ? country : null,
            Math.Clamp(page ?? 1, 1, 100_000), Math.Clamp(pageSize ?? 50, 1, 200), ct);
    }
}
