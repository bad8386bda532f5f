using System.Net;
using JusticeTracker.Tests.Fixtures;

namespace JusticeTracker.Tests.Pages;

/// <summary>The administration pages read in the administrator's language, like every other page.</summary>
public sealed class AdminPagesTests(AppFixture fixture) : AppTest(fixture)
{
    private static readonly string[] Urls = ["/admin/organisations", "/admin/members", "/admin/audit"];

    /// <summary>Per page, in the order of <see cref="Urls"/>: its heading and a label of its form, in English.</summary>
    private static readonly string[] English =
    [
        "<h1>Member organisations</h1>", "<label for=\"name\">Name</label>",
        "<h1>Members of organisations</h1>", "<label for=\"objectId\">Entra object id</label>",
        "<h1>Audit log</h1>", "<label for=\"caseReference\">Case reference</label>",
    ];

    private async Task<BrowserSession> AdministratorIn(string culture)
    {
        var browser = new BrowserSession(Host);
        await browser.SignInAs("demo-admin");
        await browser.PostForm("/language", new() { ["culture"] = culture, ["returnUrl"] = "/" }, formPage: "/");
        return browser;
    }

    private static async Task<string> Html(BrowserSession browser, string url, int status = 200) =>
        WebUtility.HtmlDecode(await (await browser.Get(url, status)).ReadAsTextAsync());

    [Theory]
    [InlineData("fr",
        "<h1>Organisations membres</h1>", "<label for=\"name\">Nom</label>",
        "<h1>Membres des organisations</h1>", "<label for=\"objectId\">ID d'objet Entra</label>",
        "<h1>Journal d'audit</h1>", "<label for=\"caseReference\">Référence du dossier</label>")]
    [InlineData("es",
        "<h1>Organizaciones miembro</h1>", "<label for=\"name\">Nombre</label>",
        "<h1>Miembros de las organizaciones</h1>", "<label for=\"objectId\">Id. de objeto de Entra</label>",
        "<h1>Registro de auditoría</h1>", "<label for=\"caseReference\">Referencia del caso</label>")]
    public async Task the_administration_pages_read_in_the_administrators_language(
        string culture, string organisationsHeading, string organisationsLabel, string membersHeading, string membersLabel, string auditHeading, string auditLabel)
    {
        var browser = await AdministratorIn(culture);
        string[] expected = [organisationsHeading, organisationsLabel, membersHeading, membersLabel, auditHeading, auditLabel];

        for (var page = 0; page < Urls.Length; page++)
        {
            var html = await Html(browser, Urls[page]);

            Assert.Contains($"lang=\"{culture}\"", html, StringComparison.Ordinal);
            Assert.Contains(expected[2 * page], html, StringComparison.Ordinal);
            Assert.Contains(expected[(2 * page) + 1], html, StringComparison.Ordinal);
            Assert.DoesNotContain(English[2 * page], html, StringComparison.Ordinal);
            Assert.DoesNotContain(English[(2 * page) + 1], html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task refusals_and_confirmations_of_the_administration_forms_read_in_the_administrators_language()
    {
        var french = await AdministratorIn("fr");
        var refused = await french.PostForm("/admin/organisations?handler=Register", new() { ["name"] = "Demo Clinique juridique de Thiès", ["country"] = "XX" }, status: 200, formPage: "/admin/organisations");
        var html = WebUtility.HtmlDecode(await refused.ReadAsTextAsync());
        Assert.Contains("Rien n'a été enregistré.", html, StringComparison.Ordinal);
        Assert.Contains("Utilisez le code ISO 3166 à deux lettres du pays", html, StringComparison.Ordinal);

        await french.PostForm("/admin/organisations?handler=Register", new() { ["name"] = "Demo Clinique juridique de Thiès", ["country"] = "sn" }, formPage: "/admin/organisations");
        Assert.Contains("Organisation « Demo Clinique juridique de Thiès » inscrite.", await Html(french, "/admin/organisations"), StringComparison.Ordinal);

        var spanish = await AdministratorIn("es");
        var twice = await spanish.PostForm("/admin/members?handler=Add", new() { ["objectId"] = TestUser.KenyanLawyer.Id, ["email"] = "lawyer@example.org", ["organisationId"] = "org-pe-1" }, status: 200, formPage: "/admin/members");
        Assert.Contains("Esta persona ya pertenece a Demo Child Justice Centre (Kenya). Trasládela", WebUtility.HtmlDecode(await twice.ReadAsTextAsync()), StringComparison.Ordinal);

        await spanish.PostForm("/admin/members?handler=Move", new() { ["objectId"] = TestUser.KenyanLawyer.Id, ["toOrganisationId"] = "org-ke-2" }, formPage: "/admin/members");
        var members = await Html(spanish, "/admin/members");
        Assert.Contains("Persona trasladada.", members, StringComparison.Ordinal);

        var audit = await Html(spanish, "/admin/audit?action=directory.change");
        Assert.Contains("<option value=\"directory.change\" selected=\"selected\">Organizaciones o miembros modificados</option>", audit, StringComparison.Ordinal);
    }
}
