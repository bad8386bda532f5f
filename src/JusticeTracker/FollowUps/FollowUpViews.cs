using JasperFx.Events;
using JusticeTracker.Access;
using JusticeTracker.Cases;
using Marten;
using Marten.Events.Projections;

namespace JusticeTracker.FollowUps;

/// <summary>
/// One follow-up as the "My follow-ups" page and the badge read it: with the case's reference,
/// organisation and country, so they filter by who may see it without opening the case.
/// </summary>
public sealed class FollowUpView
{
    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string Reference { get; set; } = "";

    public string Country { get; set; } = "";

    public string OrganisationId { get; set; } = "";

    public FollowUpRule Rule { get; set; }

    public Track? Track { get; set; }

    public DateOnly DueOn { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    public FollowUpStatus Status { get; set; }

    public DateOnly? SnoozedUntil { get; set; }

    /// <summary>
    /// The day (as <see cref="DateOnly.DayNumber"/>, which queries compare as a number) it needs
    /// someone: 0 for open and acknowledged ones, the end of a snooze, none once resolved.
    /// </summary>
    public int? WaitsFromDay { get; set; }

    public bool IsOverdue(DateOnly today) => DueOn < today;
}

/// <summary>Keeps <see cref="FollowUpView"/> in the same transaction as the follow-up events.</summary>
public sealed class FollowUpViewProjection : IProjection
{
    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        // A case moved to another organisation takes its follow-ups with it, to the receiver's lists.
        foreach (var e in events.Where(e => e.Data is Cases.Transferring.TransferAccepted))
        {
            var moved = (Cases.Transferring.TransferAccepted)e.Data;
            foreach (var view in await operations.Query<FollowUpView>().Where(v => v.CaseId == e.StreamId).ToListAsync(cancellation))
            {
                (view.OrganisationId, view.Country) = (moved.ToOrganisation, moved.Country);
                operations.Store(view);
            }
        }

        var followUps = events.Where(e => e.Data is IFollowUpEvent).ToList();
        if (followUps.Count == 0)
        {
            return;
        }

        var ids = followUps.Select(e => ((IFollowUpEvent)e.Data).FollowUpId).Distinct().ToArray();
        var views = (await operations.LoadManyAsync<FollowUpView>(cancellation, ids)).ToDictionary(v => v.Id);
        var cases = new Dictionary<Guid, Case?>();
        foreach (var e in followUps)
        {
            switch (e.Data)
            {
                case FollowUpRaised raised when !views.ContainsKey(raised.FollowUpId):
                    if (!cases.TryGetValue(e.StreamId, out var @case))
                    {
                        cases[e.StreamId] = @case = await operations.LoadAsync<Case>(e.StreamId, cancellation);
                    }

                    if (@case is null)
                    {
                        continue;
                    }

                    views[raised.FollowUpId] = new FollowUpView
                    {
                        Id = raised.FollowUpId,
                        CaseId = e.StreamId,
                        Reference = @case.Reference,
                        Country = @case.Country,
                        OrganisationId = @case.OrganisationId,
                        Rule = raised.Rule,
                        Track = raised.Track,
                        DueOn = raised.DueOn,
                        RaisedAt = raised.RaisedAt,
                        Status = FollowUpStatus.Open,
                        WaitsFromDay = 0,
                    };
                    break;
                case FollowUpAcknowledged acknowledged when views.TryGetValue(acknowledged.FollowUpId, out var view):
                    (view.Status, view.SnoozedUntil, view.WaitsFromDay) = (FollowUpStatus.Acknowledged, null, 0);
                    break;
                case FollowUpSnoozed snoozed when views.TryGetValue(snoozed.FollowUpId, out var view):
                    (view.Status, view.SnoozedUntil, view.WaitsFromDay) = (FollowUpStatus.Snoozed, snoozed.Until, snoozed.Until.DayNumber);
                    break;
                case FollowUpResolved resolved when views.TryGetValue(resolved.FollowUpId, out var view):
                    (view.Status, view.SnoozedUntil, view.WaitsFromDay) = (FollowUpStatus.Resolved, null, null);
                    break;
            }
        }

        foreach (var view in views.Values)
        {
            operations.Store(view);
        }
    }
}

/// <summary>A page of follow-ups waiting for someone, and how many there are in all and overdue.</summary>
public sealed record FollowUpList(IReadOnlyList<FollowUpView> Items, int Total, int Overdue, int Page, int PageSize);

/// <summary>The follow-ups a user may see: their organisation's for a member lawyer, any country's for a legal expert.</summary>
public static class FollowUpQueries
{
    public static IQueryable<FollowUpView> Visible(this IQuerySession session, Access.CurrentUser user, DateOnly today, string? country = null)
    {
        var query = session.Query<FollowUpView>().VisibleTo(user).Where(WaitOn(today));
        if (country is { Length: 2 })
        {
            var code = country.ToUpperInvariant();
            query = query.Where(v => v.Country == code);
        }

        return query;
    }

    /// <summary>The follow-ups that wait on this day: due, and not snoozed past it.</summary>
    public static System.Linq.Expressions.Expression<Func<FollowUpView, bool>> WaitOn(DateOnly today)
    {
        var day = today.DayNumber;
        return v => v.WaitsFromDay != null && v.WaitsFromDay <= day;
    }

    /// <summary>Due and overdue follow-ups, the most urgent first.</summary>
    public static async Task<FollowUpList> ListAsync(IQuerySession session, Access.CurrentUser user, DateOnly today, string? country, int page, int pageSize, CancellationToken ct)
    {
        var visible = session.Visible(user, today, country);
        var total = await visible.CountAsync(ct);
        var overdue = await visible.Where(v => v.DueOn < today).CountAsync(ct);
        var items = await visible.OrderBy(v => v.DueOn).ThenBy(v => v.Reference).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new FollowUpList(items, total, overdue, page, pageSize);
    }
}

/// <summary>
/// The numbers in the navigation: the follow-ups that wait for the signed-in user today, beside
/// "Follow-ups", and for a legal expert the texts that wait for review. A page that reads the
/// database in one batch can ask for them in it (<see cref="Include"/>), which spares the layout
/// two round trips of its own.
/// </summary>
public sealed class FollowUpBadge(IQuerySession session, TimeProvider clock)
{
    private Task<long>? followUps;
    private Task<long>? reviews;

    public void Include(Marten.Services.BatchQuerying.IBatchedQuery batch, System.Security.Claims.ClaimsPrincipal principal)
    {
        var user = Access.CurrentUser.From(principal);
        if (user.DoesCaseWork)
        {
            followUps = batch.Query<FollowUpView>().VisibleTo(user).Where(FollowUpQueries.WaitOn(Today)).Count();
        }

        if (principal.IsInRole(nameof(Cases.UserRole.LegalExpert)))
        {
            reviews = batch.Query<Cases.Reviewing.NoteToReview>().Count();
        }
    }

    public async Task<int> CountAsync(System.Security.Claims.ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var user = Access.CurrentUser.From(principal);
        return !user.DoesCaseWork ? 0
            : followUps is { } included ? (int)await included
            : await session.Visible(user, Today).CountAsync(ct);
    }

    public async Task<int> ReviewsAsync(CancellationToken ct) =>
        reviews is { } included ? (int)await included : await Cases.Reviewing.ReviewQueue.CountAsync(session, ct);

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
