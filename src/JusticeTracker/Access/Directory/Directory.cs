using System.Collections.Immutable;
using JasperFx.Events;
using JusticeTracker.Cases;
using Marten;
using Marten.Events.Aggregation;

namespace JusticeTracker.Access.Directory;

/// <summary>Who made an administrative change, and when.</summary>
public sealed record AdminAct(string UserId, DateTimeOffset At);

// The directory's events: member organisations and who belongs to them. They live on one stream
// (DirectoryState.StreamId): changes are rare, and one stream gives them one order and one
// optimistic-concurrency check.
public sealed record OrganisationRegistered(string OrganisationId, string Name, string Country, AdminAct By);
public sealed record OrganisationRenamed(string OrganisationId, string Name, AdminAct By);
public sealed record OrganisationCountryChanged(string OrganisationId, string Country, AdminAct By);
public sealed record OrganisationDeactivated(string OrganisationId, AdminAct By);
public sealed record OrganisationReactivated(string OrganisationId, AdminAct By);
public sealed record MemberAdded(string ObjectId, string Email, string OrganisationId, AdminAct By);
public sealed record MemberMoved(string ObjectId, string FromOrganisationId, string ToOrganisationId, AdminAct By);
public sealed record MemberRemoved(string ObjectId, string OrganisationId, AdminAct By);

/// <summary>A member organisation of the network. Its id is a stable, meaningless code.</summary>
public sealed record Organisation(string Id, string Name, string Country, bool Active = true);

/// <summary>A person's membership of one organisation, by Entra object id; the e-mail is for display only.</summary>
public sealed record Membership(string Id, string Email, string OrganisationId);

/// <summary>The directory as the decisions see it, rebuilt from its stream whenever an administrator changes it.</summary>
public sealed record DirectoryState(ImmutableDictionary<string, Organisation> Organisations, ImmutableDictionary<string, Membership> Members) : IWritable
{
    public static readonly Guid StreamId = new("0d1a7c6e-5f38-4d0e-9a51-000000000001");

    public static readonly DirectoryState Empty = new(
        ImmutableDictionary.Create<string, Organisation>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, Membership>(StringComparer.Ordinal));

    public Guid Id { get; init; } = StreamId;

    /// <summary>The stream's version, which a change is appended on.</summary>
    public long Version { get; set; }

    /// <summary>Directory commands carry no id: each is decided on the directory as it is.</summary>
    public ValueTask<CommandSeen> SeenAsync(IQuerySession session, Guid commandId, CancellationToken ct) => ValueTask.FromResult(CommandSeen.Never);

    public bool IsStale(long seen) => false;

    public DirectoryState With(object @event) => @event switch
    {
        OrganisationRegistered e => this with { Organisations = Organisations.SetItem(e.OrganisationId, new Organisation(e.OrganisationId, e.Name, e.Country)) },
        OrganisationRenamed e => this with { Organisations = Organisations.SetItem(e.OrganisationId, Organisations[e.OrganisationId] with { Name = e.Name }) },
        OrganisationCountryChanged e => this with { Organisations = Organisations.SetItem(e.OrganisationId, Organisations[e.OrganisationId] with { Country = e.Country }) },
        OrganisationDeactivated e => this with { Organisations = Organisations.SetItem(e.OrganisationId, Organisations[e.OrganisationId] with { Active = false }) },
        OrganisationReactivated e => this with { Organisations = Organisations.SetItem(e.OrganisationId, Organisations[e.OrganisationId] with { Active = true }) },
        MemberAdded e => this with { Members = Members.SetItem(e.ObjectId, new Membership(e.ObjectId, e.Email, e.OrganisationId)) },
        MemberMoved e => this with { Members = Members.SetItem(e.ObjectId, Members[e.ObjectId] with { OrganisationId = e.ToOrganisationId }) },
        MemberRemoved e => this with { Members = Members.Remove(e.ObjectId) },
        _ => this,
    };

    public static DirectoryState From(IEnumerable<object> events) => events.Aggregate(Empty, (state, e) => state.With(e));
}

/// <summary>Builds <see cref="DirectoryState"/> live from its stream, for the write path to decide on.</summary>
public sealed class DirectoryStateProjection : SingleStreamProjection<DirectoryState, Guid>
{
    public override DirectoryState? Evolve(DirectoryState? snapshot, Guid id, IEvent e)
    {
        var next = (snapshot ?? DirectoryState.Empty).With(e.Data);
        return next with { Version = e.Version };
    }
}
