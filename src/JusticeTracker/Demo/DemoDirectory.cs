using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;

namespace JusticeTracker.Demo;

/// <summary>A synthetic demo user: never a real person.</summary>
public sealed record DemoUser(string Id, string DisplayName, UserRole[] Roles, string? OrganisationId);

/// <summary>The synthetic member organisations and people of the demo and the tests.</summary>
public static class DemoDirectory
{
    public static readonly IReadOnlyList<Organisation> Organisations =
    [
        new("org-ke-1", "Demo Child Justice Centre (Kenya)", "KE"),
        new("org-ke-2", "Demo Coast Children's Legal Aid (Kenya)", "KE"),
        new("org-ug-1", "Demo Child Rights Advocates (Uganda)", "UG"),
        new("org-sn-1", "Demo Association pour l'enfance (Sénégal)", "SN"),
        new("org-ph-1", "Demo Children's Legal Bureau (Philippines)", "PH"),
        new("org-ph-2", "Demo Visayas Child Protection Network (Philippines)", "PH"),
        new("org-th-1", "Demo Child Safe Foundation (Thailand)", "TH"),
        new("org-np-1", "Demo Child Protection Forum (Nepal)", "NP"),
        new("org-gt-1", "Demo Red por la niñez (Guatemala)", "GT"),
        new("org-gt-2", "Demo Defensoría infantil del Altiplano (Guatemala)", "GT"),
        new("org-pe-1", "Demo Centro de justicia infantil (Perú)", "PE"),
        new("org-pe-2", "Demo Amazonía niñez segura (Perú)", "PE"),
    ];

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("demo-legal-expert", "Legal expert, secretariat", [UserRole.LegalExpert], null),
        new("demo-analyst", "Analyst, secretariat", [UserRole.Analyst], null),
        new("demo-admin", "Administrator", [UserRole.Administrator], null),
        .. Organisations.Select(o => new DemoUser($"demo-lawyer-{o.Id[4..]}", $"Member lawyer, {o.Name}", [UserRole.MemberLawyer], o.Id)),
    ];

    public static DemoUser? Find(string id) => Users.FirstOrDefault(u => u.Id == id);

    /// <summary>The directory events that register the demo organisations and their lawyers.</summary>
    public static IEnumerable<object> DirectoryEvents(AdminAct by) =>
    [
        .. Organisations.Select(o => new OrganisationRegistered(o.Id, o.Name, o.Country, by)),
        .. Users.Where(u => u.OrganisationId is not null).Select(u => new MemberAdded(u.Id, $"{u.Id}@example.org", u.OrganisationId!, by)),
    ];
}
