using System.Security.Claims;
using JusticeTracker.Access.Directory;
using Microsoft.AspNetCore.Authentication;

namespace JusticeTracker.Access;

/// <summary>
/// Gives each request its user's organisation as the directory says it is now, not as it was at
/// sign-in: removing or moving a person takes effect on their next request. Any organisation claim
/// that arrives with the sign-in is discarded; only the directory decides. The directory is held
/// in memory and checked against the database on each request (<see cref="CurrentDirectory"/>).
/// </summary>
public sealed class MembershipClaims(CurrentDirectory directory) : IClaimsTransformation
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
            && await directory.ReadAsync(CancellationToken.None) is var now
            && now.Members.TryGetValue(userId, out var membership)
            && now.Organisations.TryGetValue(membership.OrganisationId, out var organisation)
            && organisation.Active)
        {
            identity.AddClaim(new Claim(AppClaims.Organisation, membership.OrganisationId));
        }

        return new ClaimsPrincipal(identity);
    }
}
