using System.Security.Claims;
using JusticeTracker.Access.Directory;
using Marten;
using Microsoft.AspNetCore.Authentication;

namespace JusticeTracker.Access;

/// <summary>
/// Gives each request its user's organisation as the directory says it is now, not as it was at
/// sign-in: removing or moving a person takes effect on their next request. Any organisation claim
/// that arrives with the sign-in is discarded; only the directory decides.
/// </summary>
public sealed class MembershipClaims(IQuerySession session) : IClaimsTransformation
{
    private const string Resolved = "jt_membership_resolved";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } || principal.HasClaim(c => c.Type == Resolved))
        {
            return principal;
        }

        // Keep the name and role claim types of the sign-in: "roles" from Entra ID, the
        // framework's own from the development sign-in.
        var original = (ClaimsIdentity)principal.Identity;
        var identity = new ClaimsIdentity(
            principal.Claims.Where(c => c.Type != AppClaims.Organisation),
            original.AuthenticationType,
            original.NameClaimType,
            original.RoleClaimType);
        identity.AddClaim(new Claim(Resolved, "true"));

        var userId = CurrentUser.From(principal).UserId;
        if (userId.Length > 0
            && await session.LoadAsync<Membership>(userId) is { } membership
            && await session.LoadAsync<Organisation>(membership.OrganisationId) is { Active: true })
        {
            identity.AddClaim(new Claim(AppClaims.Organisation, membership.OrganisationId));
        }

        return new ClaimsPrincipal(identity);
    }
}
