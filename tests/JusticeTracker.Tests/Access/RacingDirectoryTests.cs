using System.Security.Claims;
using JusticeTracker.Access;
using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Tests.Fixtures;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace JusticeTracker.Tests.Access;

/// <summary>Directory changes go through the same write path as case commands: racing copies of one change make one change.</summary>
public sealed class RacingDirectoryTests(AppFixture fixture) : AppTest(fixture)
{
    private static ClaimsPrincipal Administrator() => new(new ClaimsIdentity(
        [new Claim(AppClaims.ObjectId, TestUser.Administrator.Id), new Claim(ClaimTypes.Role, nameof(UserRole.Administrator))], "test"));

    private async Task<Result<DirectoryState>> ExecuteAsync(DirectoryCommand command)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = Administrator() };
        return await DirectoryCommands.ExecuteAsync(context, scope.ServiceProvider.GetRequiredService<IDocumentSession>(), command, TimeProvider.System, CancellationToken.None);
    }

    [Fact]
    public async Task sixteen_identical_registrations_at_once_register_one_organisation_and_refuse_the_others_in_words()
    {
        var name = $"Demo racing clinic {Guid.NewGuid():N}";

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => ExecuteAsync(new RegisterOrganisation(name, "SN"))));

        Assert.Single(results, r => r.Ending == Ending.Done);
        Assert.All(results.Where(r => r.Ending != Ending.Done), r =>
        {
            Assert.Equal(Ending.Refused, r.Ending);
            Assert.Equal("An organisation of this name is already registered in this country.", Assert.Single(r.Problems).Key);
        });
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Single(await session.Query<Organisation>().Where(o => o.Name == name).ToListAsync());
    }

    [Fact]
    public async Task a_directory_change_by_someone_who_is_not_an_administrator_changes_nothing()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var lawyer = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(AppClaims.ObjectId, TestUser.KenyanLawyer.Id), new Claim(ClaimTypes.Role, nameof(UserRole.MemberLawyer))], "test"));
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = lawyer };

        var result = await DirectoryCommands.ExecuteAsync(context, scope.ServiceProvider.GetRequiredService<IDocumentSession>(), new DeactivateOrganisation("org-ke-1"), TimeProvider.System, CancellationToken.None);

        Assert.Equal(Ending.NotFound, result.Ending);
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.True((await session.LoadAsync<Organisation>("org-ke-1"))!.Active);
    }
}
