using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using Marten;

namespace JusticeTracker.Pages;

/// <summary>
/// Which organisation a page about one organisation is for (its data quality, its figures): a
/// member lawyer's own, and naming another is refused, not ignored; for a legal expert the one
/// named, or the first by name.
/// </summary>
/// <param name="All">Every organisation, by name, for a legal expert's choice.</param>
/// <param name="Chosen">The organisation, or null when the one named does not exist.</param>
/// <param name="Refused">A member lawyer named another organisation.</param>
public sealed record OrganisationChoice(IReadOnlyList<Organisation> All, Organisation? Chosen, bool Refused)
{
    public static async Task<OrganisationChoice> ResolveAsync(IQuerySession session, CurrentUser me, string? named, CancellationToken ct)
    {
        var all = await session.Query<Organisation>().OrderBy(o => o.Name).ToListAsync(ct);
        if (!me.IsLegalExpert && named is not null && named != me.OrganisationId)
        {
            return new(all, null, true);
        }

        var id = me.IsLegalExpert ? named ?? (all.Count > 0 ? all[0].Id : null) : me.OrganisationId;
        return new(all, all.FirstOrDefault(o => o.Id == id), false);
    }
}
