using System.Security.Claims;
using JusticeTracker.Cases;

namespace JusticeTracker.Access;

/// <summary>Claim types the application reads. Entra ID issues <c>oid</c> and <c>roles</c>.</summary>
public static class AppClaims
{
    public const string ObjectId = "oid";
    public const string MappedObjectId = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>The member organisation a person belongs to, added to each request from the directory
    /// by <see cref="MembershipClaims"/>.</summary>
    public const string Organisation = "jt_org";
}

/// <summary>
/// The signed-in person as the rules see them. Every access decision about a case goes through
/// <see cref="CanSee"/>, so there is one rule to read and to test.
/// </summary>
public sealed record CurrentUser(string UserId, IReadOnlySet<UserRole> Roles, string? OrganisationId)
{
    public bool IsLegalExpert => Roles.Contains(UserRole.LegalExpert);

    public bool IsMemberLawyer => Roles.Contains(UserRole.MemberLawyer) && OrganisationId is not null;

    public bool DoesCaseWork => IsLegalExpert || IsMemberLawyer;

    public bool IsAdministrator => Roles.Contains(UserRole.Administrator);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(AppClaims.ObjectId)
            ?? principal.FindFirstValue(AppClaims.MappedObjectId)
            ?? principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? principal.FindFirstValue("sub")
            ?? "";
        var roles = Enum.GetValues<UserRole>().Where(r => principal.IsInRole(r.ToString())).ToHashSet();
        var organisation = principal.FindFirstValue(AppClaims.Organisation);
        return new CurrentUser(id, roles, string.IsNullOrWhiteSpace(organisation) ? null : organisation);
    }

    /// <summary>Legal experts see every case; member lawyers only their organisation's; nobody else any.</summary>
    public bool CanSee(Case @case) =>
        IsLegalExpert || (IsMemberLawyer && string.Equals(OrganisationId, @case.OrganisationId, StringComparison.Ordinal));

    /// <summary>
    /// The one organisation whose cases this person may see, or null for every case: the rule of
    /// <see cref="CanSee"/> for queries. Someone who does no case work sees an organisation that none has.
    /// </summary>
    public string? SeesOnly => IsLegalExpert ? null : IsMemberLawyer ? OrganisationId : "";

    /// <summary>The role an entry is recorded under: the broadest case-work role the person holds.</summary>
    public Recorder AsRecorder() =>
        new(UserId, IsLegalExpert ? UserRole.LegalExpert : UserRole.MemberLawyer, OrganisationId);
}
