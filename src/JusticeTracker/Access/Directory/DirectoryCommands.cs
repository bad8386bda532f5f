using System.Text.RegularExpressions;
using JusticeTracker.Cases;
using Marten;

namespace JusticeTracker.Access.Directory;

/// <summary>An administrator's change to the directory of organisations and members.</summary>
public abstract record DirectoryCommand;

public sealed record RegisterOrganisation(string Name, string Country) : DirectoryCommand;
public sealed record RenameOrganisation(string OrganisationId, string Name) : DirectoryCommand;
public sealed record ChangeOrganisationCountry(string OrganisationId, string Country) : DirectoryCommand;
public sealed record DeactivateOrganisation(string OrganisationId) : DirectoryCommand;
public sealed record ReactivateOrganisation(string OrganisationId) : DirectoryCommand;
public sealed record AddMember(string ObjectId, string Email, string OrganisationId) : DirectoryCommand;
public sealed record MoveMember(string ObjectId, string ToOrganisationId) : DirectoryCommand;
public sealed record RemoveMember(string ObjectId) : DirectoryCommand;

public static partial class DirectoryCommands
{
    /// <summary>The refusal to add someone who is a member already, naming their organisation.</summary>
    public const string AlreadyMember = "This person already belongs to {0}. Move them instead.";

    public static Decision Decide(DirectoryState state, DirectoryCommand command, AdminAct by)
    {
        var problems = new Problems();
        object? decided = command switch
        {
            RegisterOrganisation c when CheckName(problems, c.Name) & CheckCountry(problems, c.Country)
                && Refuse(problems, IsRegistered(state, c.Name, c.Country), "name", "An organisation of this name is already registered in this country.") =>
                new OrganisationRegistered(NextId(state, c.Country.Trim().ToUpperInvariant()), c.Name.Trim(), c.Country.Trim().ToUpperInvariant(), by),
            RenameOrganisation c when CheckOrganisation(problems, state, c.OrganisationId) & CheckName(problems, c.Name) =>
                new OrganisationRenamed(c.OrganisationId, c.Name.Trim(), by),
            ChangeOrganisationCountry c when CheckOrganisation(problems, state, c.OrganisationId) & CheckCountry(problems, c.Country) =>
                new OrganisationCountryChanged(c.OrganisationId, c.Country.Trim().ToUpperInvariant(), by),
            DeactivateOrganisation c when CheckOrganisation(problems, state, c.OrganisationId)
                && Refuse(problems, !state.Organisations[c.OrganisationId].Active, "organisationId", "This organisation is already inactive.") =>
                new OrganisationDeactivated(c.OrganisationId, by),
            ReactivateOrganisation c when CheckOrganisation(problems, state, c.OrganisationId)
                && Refuse(problems, state.Organisations[c.OrganisationId].Active, "organisationId", "This organisation is already active.") =>
                new OrganisationReactivated(c.OrganisationId, by),
            AddMember c when CheckPerson(problems, c.ObjectId, c.Email) & CheckTarget(problems, state, c.OrganisationId)
                && Refuse(problems, state.Members.TryGetValue(c.ObjectId.Trim(), out var existing), "objectId", AlreadyMember, Name(state, existing?.OrganisationId)) =>
                new MemberAdded(c.ObjectId.Trim(), c.Email.Trim(), c.OrganisationId, by),
            MoveMember c when CheckMember(problems, state, c.ObjectId) & CheckTarget(problems, state, c.ToOrganisationId)
                && Refuse(problems, state.Members[c.ObjectId].OrganisationId == c.ToOrganisationId, "toOrganisationId", "This person already belongs to that organisation.") =>
                new MemberMoved(c.ObjectId, state.Members[c.ObjectId].OrganisationId, c.ToOrganisationId, by),
            RemoveMember c when CheckMember(problems, state, c.ObjectId) =>
                new MemberRemoved(c.ObjectId, state.Members[c.ObjectId].OrganisationId, by),
            _ => null,
        };

        return decided is null ? Decision.Refuse(problems) : Decision.Accept(decided);
    }

    /// <summary>
    /// Decides on the directory as it is and appends on the version that was read, so two
    /// administrators changing it at once cannot overwrite each other's decision: the second is
    /// decided again on the directory the first left.
    /// </summary>
    public static Task<Result<DirectoryState>> ExecuteAsync(HttpContext context, IDocumentSession session, DirectoryCommand command, TimeProvider clock, CancellationToken ct) =>
        context.WriteAsync(
            session,
            new Write<DirectoryState>(command.GetType().Name, AuditActions.DirectoryChange, DirectoryState.StreamId, (http, _) => CurrentUser.From(http.User).IsAdministrator) { Stream = StreamRule.Any },
            (state, user) => Decide(state ?? DirectoryState.Empty, command, new AdminAct(user.UserId, clock.GetUtcNow())),
            ct);

    /// <summary>The same registration twice, a double submit or two administrators at once, registers one organisation.</summary>
    private static bool IsRegistered(DirectoryState state, string name, string country) =>
        state.Organisations.Values.Any(o => string.Equals(o.Name, name.Trim(), StringComparison.OrdinalIgnoreCase) && string.Equals(o.Country, country.Trim(), StringComparison.OrdinalIgnoreCase));

    private static string NextId(DirectoryState state, string country)
    {
        var prefix = $"org-{country.ToLowerInvariant()}-";
        var next = state.Organisations.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => int.TryParse(k[prefix.Length..], out var n) ? n : 0)
            .DefaultIfEmpty(0).Max() + 1;
        return prefix + next;
    }

    private static string Name(DirectoryState state, string? organisationId) =>
        organisationId is not null && state.Organisations.TryGetValue(organisationId, out var o) ? o.Name : "another organisation";

    private static bool CheckOrganisation(Problems problems, DirectoryState state, string? organisationId) =>
        Refuse(problems, organisationId is null || !state.Organisations.ContainsKey(organisationId), "organisationId", "There is no organisation with this id.");

    private static bool CheckName(Problems problems, string? name) =>
        Refuse(problems, string.IsNullOrWhiteSpace(name) || name.Trim().Length > 120, "name", "Enter the organisation's name (at most 120 characters).");

    private static bool CheckCountry(Problems problems, string? country) =>
        Refuse(problems, !IsoCodes.IsCountry(country?.Trim().ToUpperInvariant()), "country", "Use the two-letter ISO 3166 code of the country, for example KE or PH.");

    private static bool CheckTarget(Problems problems, DirectoryState state, string? organisationId) =>
        Refuse(problems, organisationId is null || !state.Organisations.TryGetValue(organisationId, out var o) || !o.Active, "organisationId", "Choose an active organisation.");

    private static bool CheckMember(Problems problems, DirectoryState state, string? objectId) =>
        Refuse(problems, objectId is null || !state.Members.ContainsKey(objectId), "objectId", "This person is not a member of any organisation.");

    private static bool CheckPerson(Problems problems, string? objectId, string? email) =>
        Refuse(problems, objectId is null || !ObjectIdPattern().IsMatch(objectId.Trim()), "objectId", "Enter the person's Entra object id, as shown in the Entra admin centre (e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301).")
        & Refuse(problems, email is null || !EmailPattern().IsMatch(email.Trim()), "email", "Enter the person's work e-mail address.");

    /// <summary>Adds the problem when the condition holds; true when it does not.</summary>
    private static bool Refuse(Problems problems, bool condition, string field, string problem, params object[] arguments)
    {
        problems.AddIf(condition, field, problem, arguments);
        return !condition;
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex ObjectIdPattern();

    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
