using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using JusticeTracker.Cases;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace JusticeTracker.FollowUps;

/// <summary>
/// Check a case's follow-ups now: raise those due, resolve those the case no longer calls for, and
/// plan the next check. <paramref name="ScheduledFor"/> is set on a reminder scheduled ahead; it
/// must still be the case's next planned check, or the plan has moved and the reminder is dropped.
/// </summary>
public sealed record FollowUpCheck(Guid CaseId, DateTimeOffset? ScheduledFor = null);

/// <summary>Checks every case whose next check is due: the safety net behind the scheduled reminders, and how tests move time.</summary>
public sealed record FollowUpSweep;

/// <summary>When a case's next follow-up check is planned. One per case; a new plan replaces it.</summary>
public sealed class FollowUpSchedule
{
    public Guid Id { get; set; }

    public DateTimeOffset NextAt { get; set; }
}

public static class FollowUpCheckHandler
{
    /// <summary>
    /// Runs in a Wolverine transaction: the follow-up events, the schedule document and the next
    /// reminder (a durable scheduled message in the outbox) commit together or not at all. A second
    /// delivery waits for the first's lock on the stream and then finds the follow-up raised; a
    /// check racing a lawyer's entry meets the case's version: the loser retries.
    /// </summary>
    public static async Task Handle(FollowUpCheck check, IDocumentSession session, IMessageContext bus, TimeProvider clock, FollowUpOptions options, CancellationToken ct)
    {
        // Locked like an erasure locks it (EraseCase): a check never schedules a reminder for a
        // case whose erasure is committing, and an erasure always sees what a check committed.
        var stream = await session.Events.FetchForExclusiveWriting<Case>(check.CaseId, ct);
        var schedule = await session.LoadAsync<FollowUpSchedule>(check.CaseId, ct);
        if (stream.Aggregate is not { } @case)
        {
            // Erased (or never opened): nothing of the case may stay, this message included.
            if (schedule is not null)
            {
                session.Delete(schedule);
            }

            if (bus.Envelope is { } envelope)
            {
                Cases.Erasing.ErasedMessages.ForgetEnvelope(session, envelope.Id);
            }

            return;
        }

        if (check.ScheduledFor is { } planned && schedule?.NextAt != planned)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var standing = (await CaseProjection.HistoryAsync(session, @case, ct)).Where(e => e.IsStanding).Select(e => e.Event).ToList();
        var (events, next) = FollowUpRules.Check(@case, standing, options, now);
        if (events.Count > 0)
        {
            stream.AppendMany(events.Cast<object>().ToArray());
        }

        if (next is null)
        {
            if (schedule is not null)
            {
                session.Delete(schedule);
            }
        }
        else if (schedule?.NextAt != next)
        {
            session.Store(new FollowUpSchedule { Id = check.CaseId, NextAt = next.Value });
            await bus.ScheduleAsync(new FollowUpCheck(check.CaseId, next), next.Value);
        }
    }

    /// <summary>Every case whose planned check has come, checked as its reminder would have been.</summary>
    public static async Task Handle(FollowUpSweep sweep, IQuerySession session, IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await session.Query<FollowUpSchedule>().Where(s => s.NextAt <= now).ToListAsync(ct);
        foreach (var schedule in due)
        {
            await bus.PublishAsync(new FollowUpCheck(schedule.Id, schedule.NextAt));
        }
    }
}

/// <summary>
/// Every change to a case asks for a check of its follow-ups. Run by the async daemon like the
/// projections, on one node, from where it left off: a change made while the app was down is
/// still checked when it starts.
/// </summary>
public sealed class FollowUpTrigger : BatchSubscription
{
    public const string Name = "FollowUps";

    public FollowUpTrigger() : base(Name)
    {
        IncludeType<CaseOpened>();
        foreach (var kind in EntryKinds.Types)
        {
            IncludeType(kind);
        }
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var caseId in page.Events.Where(e => e.Data is CaseOpened or CaseEntry).Select(e => e.StreamId).Distinct())
        {
            await bus.PublishAsync(new FollowUpCheck(caseId));
        }
    }
}

/// <summary>
/// Sweeps once an hour for cases whose planned check has come. Scheduled reminders are durable and
/// normally arrive on time; the sweep is the safety net, and it catches up after a long stop.
/// </summary>
public sealed class FollowUpSweeper(IServiceProvider services, ILogger<FollowUpSweeper> logger) : Hosting.HourlyJob(logger)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new FollowUpSweep());
    }
}
