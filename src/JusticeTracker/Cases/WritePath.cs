using JasperFx.Events;
using JusticeTracker.Access;
using JusticeTracker.Audit;
using JusticeTracker.Hosting;
using Marten;

namespace JusticeTracker.Cases;

/// <summary>A stream's state as the write path needs it: a case, or the directory.</summary>
public interface IWritable
{
    long Version { get; }

    /// <summary>
    /// Whether the command with this id is on the stream already (a retry, a double submit, or the
    /// same command racing itself), or its id was used on another stream.
    /// </summary>
    ValueTask<CommandSeen> SeenAsync(IQuerySession session, Guid commandId, CancellationToken ct);

    /// <summary>Whether what the author saw at <paramref name="seen"/> no longer holds.</summary>
    bool IsStale(long seen);
}

/// <summary>
/// What the write path needs to know about one command, besides its decision.
/// </summary>
/// <param name="Name">The command's name in the metrics.</param>
/// <param name="Action">The audited action.</param>
/// <param name="StreamId">The stream it writes to: a case id, or the directory's.</param>
/// <param name="Admit">The gate: whether this person may change this stream. It also tells the audit log what was reached.</param>
public sealed record Write<T>(string Name, string Action, Guid StreamId, Func<HttpContext, T, bool> Admit)
    where T : class, IWritable
{
    /// <summary>The command's own id, when it has one: a command already on the stream answers as done, before any check of the version.</summary>
    public Guid? CommandId { get; init; }

    /// <summary>The version the author saw, when the command depends on it (entries, erasure): a stale one refuses it.</summary>
    public long? Seen { get; init; }

    /// <summary>Whether the stream must exist already, must not (opening a case), or may be either (the directory's first change).</summary>
    public StreamRule Stream { get; init; } = StreamRule.Existing;

    /// <summary>Lock the stream's row until the commit (erasure), instead of checking its version at the commit.</summary>
    public bool Exclusive { get; init; }

    /// <summary>Stores what the decision accepted, when that is more than appending its events to the stream (erasure).</summary>
    public Func<IDocumentSession, IEventStream<T>, Decision, CancellationToken, Task>? Store { get; init; }
}

/// <summary>Where a command's id was seen before.</summary>
public enum CommandSeen
{
    Never,

    /// <summary>On this stream: the command was carried out.</summary>
    Here,

    /// <summary>On another stream: the id is taken.</summary>
    Elsewhere,
}

/// <summary>What a command expects of its stream.</summary>
public enum StreamRule
{
    /// <summary>The stream must exist: a missing one answers as not found.</summary>
    Existing,

    /// <summary>The command starts the stream. A stream already there answers as done (the same command again), or as taken if the person may not see it.</summary>
    New,

    /// <summary>Either: the decision is given null for a stream not yet there.</summary>
    Any,
}

/// <summary>How a command ended.</summary>
public enum Ending
{
    /// <summary>Its events were saved.</summary>
    Done,

    /// <summary>It was carried out before, or what it asks is already so: nothing was added.</summary>
    Repeated,

    /// <summary>The request has problems; nothing was saved.</summary>
    Refused,

    /// <summary>No such stream, or thing on it, that this person may change: one answer, so ids cannot be probed.</summary>
    NotFound,

    /// <summary>The state forbids it (or the id is another's); nothing was saved.</summary>
    Conflict,

    /// <summary>The stream changed since the version the author saw; nothing was saved.</summary>
    Stale,
}

/// <summary>
/// How a command ended, for the API and the pages to answer in their own forms.
/// <paramref name="State"/> is the stream as the decision saw it (null if the command started
/// it), or as it is now when stale or repeated; <paramref name="Events"/> what was appended.
/// </summary>
public sealed record Result<T>(Ending Ending, T? State, IReadOnlyList<object> Events, IReadOnlyList<Problem> Problems)
    where T : class, IWritable
{
    /// <summary>The stream's version after the command.</summary>
    public long Version => (State?.Version ?? 0) + (Ending == Ending.Done ? Events.Count : 0);

    public bool Succeeded => Ending is Ending.Done or Ending.Repeated;
}

/// <summary>
/// The one write path of every command (ADR 3). Given the person, the stream, the command's id,
/// the version they saw and a pure decision, it does the rest in one order for all: the gate,
/// idempotency before concurrency, the stale rule, the decision, <c>LastModifiedBy</c>, append
/// and save, and on a race the same again on the stream as it now is; then the metric.
/// </summary>
public static class WritePath
{
    /// <summary>
    /// How often a command is tried on a stream that others keep writing to. Identical commands
    /// racing end at the second try (the first to commit is found there); different ones, such as
    /// a follow-up raised meanwhile, rarely need a third.
    /// </summary>
    private const int Attempts = 4;

    public const string Busy = "Someone else changed this at the same moment. Nothing was saved; please try again.";
    public const string IdTaken = "This command id was used already. Send a new one.";

    public static Task<Result<T>> WriteAsync<T>(this HttpContext context, IDocumentSession session, Write<T> write, Func<T?, CurrentUser, Decision> decide, CancellationToken ct)
        where T : class, IWritable =>
        context.WriteAsync(session, write, (state, user) => ValueTask.FromResult(decide(state, user)), ct);

    public static async Task<Result<T>> WriteAsync<T>(this HttpContext context, IDocumentSession session, Write<T> write, Func<T?, CurrentUser, ValueTask<Decision>> decide, CancellationToken ct)
        where T : class, IWritable
    {
        var result = await TryAsync(context, session, write, decide, ct);
        context.CountCommand(write.Name, result.Ending.ToString());
        return result;
    }

    private static async Task<Result<T>> TryAsync<T>(HttpContext context, IDocumentSession session, Write<T> write, Func<T?, CurrentUser, ValueTask<Decision>> decide, CancellationToken ct)
        where T : class, IWritable
    {
        var user = CurrentUser.From(context.User);
        context.Action(write.Action);

        // The first attempt uses the request's session. A retry gets a session of its own: the one
        // that failed still holds the aggregate it built from its own events.
        IDocumentSession? retry = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var documents = retry ?? session;
                var result = await AttemptAsync(context, documents, user, write, decide, ct);
                if (result is not null)
                {
                    return result;
                }

                // Someone wrote to the stream between our read and our write, perhaps this same
                // command sent twice; or a new case drew a reference taken meanwhile. Decide again
                // on the stream as it is now.
                if (retry is not null)
                {
                    await retry.DisposeAsync();
                }

                retry = session.DocumentStore.LightweightSession();
                if (attempt == Attempts)
                {
                    var latest = await retry.Events.FetchLatest<T>(write.StreamId, ct);
                    return write.Seen is not null && latest is not null
                        ? Ended(Ending.Stale, latest)
                        : Ended(Ending.Conflict, latest, new Problem("", Busy, []));
                }
            }
        }
        finally
        {
            if (retry is not null)
            {
                await retry.DisposeAsync();
            }
        }
    }

    /// <summary>One attempt: how the command ended, or null if another writer won the race.</summary>
    private static async Task<Result<T>?> AttemptAsync<T>(HttpContext context, IDocumentSession session, CurrentUser user, Write<T> write, Func<T?, CurrentUser, ValueTask<Decision>> decide, CancellationToken ct)
        where T : class, IWritable
    {
        var stream = write.Exclusive
            ? await session.Events.FetchForExclusiveWriting<T>(write.StreamId, ct)
            : await session.Events.FetchForWriting<T>(write.StreamId, ct);
        var state = stream.Aggregate;
        var starts = write.Stream == StreamRule.New;
        if (state is null && write.Stream == StreamRule.Existing)
        {
            return Ended(Ending.NotFound, state);
        }

        if (state is not null)
        {
            if (!write.Admit(context, state))
            {
                return starts ? Ended<T>(Ending.Conflict, null, new Problem("commandId", IdTaken, [])) : Ended<T>(Ending.NotFound, null);
            }

            // A retry of a command already carried out answers as the first attempt did, even
            // though the version it carries is now stale: idempotency before concurrency.
            var seen = write.CommandId is { } id ? await state.SeenAsync(session, id, ct) : CommandSeen.Never;
            if (starts || seen == CommandSeen.Here)
            {
                return Ended(Ending.Repeated, state);
            }

            // An id is an entry's identity everywhere: one used on another stream is refused, not recorded twice.
            if (seen == CommandSeen.Elsewhere)
            {
                return Ended(Ending.Conflict, state, new Problem("commandId", IdTaken, []));
            }

            if (write.Seen is { } version && state.IsStale(version))
            {
                return Ended(Ending.Stale, state);
            }
        }

        var decision = await decide(state, user);
        switch (decision.Refusal)
        {
            case Refusal.Invalid:
                return Ended(Ending.Refused, state, [.. decision.Problems]);
            case Refusal.Missing:
                return Ended(Ending.NotFound, state, [.. decision.Problems]);
            case Refusal.Conflict:
                return Ended(Ending.Conflict, state, [.. decision.Problems]);
        }

        if (decision.Events.Count == 0)
        {
            return Ended(Ending.Repeated, state);
        }

        // Marten stores the user on every event it appends (its user_name metadata).
        session.LastModifiedBy = user.UserId;
        if (write.Store is { } store)
        {
            await store(session, stream, decision, ct);
        }
        else if (state is null)
        {
            // Starting the stream refuses one started meanwhile (ExistingStreamIdCollisionException).
            session.Events.StartStream<T>(write.StreamId, [.. decision.Events]);
        }
        else
        {
            stream.AppendMany(decision.Events);
        }

        try
        {
            await session.SaveChangesAsync(ct);
            return new Result<T>(Ending.Done, state, decision.Events, []);
        }
        catch (Exception ex) when (Failures.IsConcurrency(ex) || (starts && Failures.IsUniqueViolation(ex)))
        {
            session.EjectAllPendingChanges();
            return null;
        }
    }

    private static Result<T> Ended<T>(Ending ending, T? state, params Problem[] problems)
        where T : class, IWritable => new(ending, state, [], problems);
}
