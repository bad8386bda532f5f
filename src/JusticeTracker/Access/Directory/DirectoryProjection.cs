using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace JusticeTracker.Access.Directory;

/// <summary>
/// Keeps one <see cref="Organisation"/> and one <see cref="Membership"/> document per id, inline,
/// so that every request can look up its user's membership with one load.
/// </summary>
public sealed partial class DirectoryProjection : EventProjection
{
    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case OrganisationRegistered r:
                operations.Store(new Organisation(r.OrganisationId, r.Name, r.Country));
                break;
            case OrganisationRenamed r:
                await Update<Organisation>(operations, r.OrganisationId, o => o with { Name = r.Name }, cancellation);
                break;
            case OrganisationCountryChanged c:
                await Update<Organisation>(operations, c.OrganisationId, o => o with { Country = c.Country }, cancellation);
                break;
            case OrganisationDeactivated d:
                await Update<Organisation>(operations, d.OrganisationId, o => o with { Active = false }, cancellation);
                break;
            case OrganisationReactivated r:
                await Update<Organisation>(operations, r.OrganisationId, o => o with { Active = true }, cancellation);
                break;
            case MemberAdded a:
                operations.Store(new Membership(a.ObjectId, a.Email, a.OrganisationId));
                break;
            case MemberMoved m:
                await Update<Membership>(operations, m.ObjectId, x => x with { OrganisationId = m.ToOrganisationId }, cancellation);
                break;
            case MemberRemoved r:
                operations.Delete<Membership>(r.ObjectId);
                break;
        }
    }

    private static async Task Update<T>(IDocumentOperations operations, string id, Func<T, T> change, CancellationToken ct) where T : notnull
    {
        if (await operations.LoadAsync<T>(id, ct) is { } current)
        {
            operations.Store(change(current));
        }
    }
}
